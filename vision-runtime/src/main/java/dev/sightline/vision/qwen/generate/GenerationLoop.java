package dev.sightline.vision.qwen.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.sightline.vision.chat.FinishReason;

/**
 * Decoding after prefill (spec §7.4, §8.3): pick a token from the last logits, report it, stop on a stop id, the
 * token limit or cancellation (checked between steps), else feed it back.
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
		if (maxNewTokens < 1) {
			throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
		}
		long[] seen = Arrays.copyOf(promptIds, promptIds.length + maxNewTokens);
		int seenCount = promptIds.length;
		List<Integer> generated = new ArrayList<>();
		float[] logits = prefillLogits;
		long start = System.nanoTime();
		while (true) {
			float[] reported = logits.clone();
			int token = sampler.next(logits, seen, seenCount);
			generated.add(token);
			seen[seenCount++] = token;
			boolean keepGoing = listener.onToken(token, reported);
			if (stopIds.contains(token)) {
				return new Completion(generated, FinishReason.STOP, (System.nanoTime() - start) / 1e6);
			}
			if (generated.size() >= maxNewTokens) {
				return new Completion(generated, FinishReason.LENGTH, (System.nanoTime() - start) / 1e6);
			}
			if (!keepGoing) {
				return new Completion(generated, FinishReason.CANCELLED, (System.nanoTime() - start) / 1e6);
			}
			logits = stepper.step(token);
		}
	}

}
