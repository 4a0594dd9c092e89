package dev.sightline.vision.qwen.generate;

import java.util.Set;

import dev.sightline.vision.chat.FinishReason;

/**
 * Decoding one sequence after prefill on the reference path (conformance, parity tests): each step picks a token
 * with the shared {@link TokenPicker} (as the serving path's {@code qwen.QwenDecoding} does per shared pass),
 * reports it, stops on a stop id, the token limit or cancellation (checked between steps), else feeds it back.
 */
public final class GenerationLoop {

	private GenerationLoop() {
	}

	/**
	 * @param prefillLogits logits of the prompt's last position
	 * @param promptIds the prompt, for the repetition penalty
	 * @param stopIds ids that end generation (included in the result)
	 */
	public static Completion run(float[] prefillLogits, long[] promptIds, TokenStepper stepper, Sampler sampler,
			Set<Integer> stopIds, int maxNewTokens, StepListener listener) {
		TokenPicker picker = new TokenPicker(promptIds, sampler, stopIds, maxNewTokens);
		float[] logits = prefillLogits;
		long start = System.nanoTime();
		while (true) {
			float[] reported = logits.clone();
			int token = picker.pick(logits);
			boolean keepGoing = listener.onToken(token, reported);
			FinishReason reason = picker.isStop(token) ? FinishReason.STOP
					: picker.atLimit() ? FinishReason.LENGTH : keepGoing ? null : FinishReason.CANCELLED;
			if (reason != null) {
				return new Completion(picker.generated(), reason, (System.nanoTime() - start) / 1e6);
			}
			logits = stepper.step(token);
		}
	}

}
