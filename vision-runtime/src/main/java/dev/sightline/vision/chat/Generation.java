package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;

import dev.sightline.vision.preprocess.ImageSize;

/**
 * What a model returned, with its measurements.
 *
 * @param text decoded completion, without the stop token
 * @param tokenIds generated ids, including a final eos when one stopped generation
 * @param finishReason why it ended (eos or stop string, token limit, cancelled, or what a remote endpoint reported)
 * @param promptTokens tokens in the prompt, image and video placeholders included
 * @param imageSizes per image of the conversation, in order, the size the model saw (after smart resize): the
 * pixel frame its coordinates refer to
 * @param visionMs time in the vision tower
 * @param prefillMs time to the first generated token, vision excluded
 * @param decodeMs time of all later tokens
 * @param completionTokens tokens generated: {@code tokenIds.size()} in process; a remote endpoint's reported usage
 * when it sends no ids
 * @param logprobs per generated token, when log-probabilities were asked for ({@link OutputControls}); else empty
 */
public record Generation(String text, List<Integer> tokenIds, FinishReason finishReason, int promptTokens,
		List<ImageSize> imageSizes, double visionMs, double prefillMs, double decodeMs, int completionTokens,
		List<TokenLogprob> logprobs) {

	public Generation {
		Objects.requireNonNull(text, "text");
		tokenIds = List.copyOf(tokenIds);
		Objects.requireNonNull(finishReason, "finishReason");
		imageSizes = List.copyOf(imageSizes);
		if (completionTokens < 0) {
			throw new IllegalArgumentException("completionTokens must be >= 0, got " + completionTokens);
		}
		logprobs = List.copyOf(logprobs);
	}

	public Generation(String text, List<Integer> tokenIds, FinishReason finishReason, int promptTokens,
			List<ImageSize> imageSizes, double visionMs, double prefillMs, double decodeMs, int completionTokens) {
		this(text, tokenIds, finishReason, promptTokens, imageSizes, visionMs, prefillMs, decodeMs, completionTokens,
				List.of());
	}

	/** A generation whose completion tokens are its ids. */
	public Generation(String text, List<Integer> tokenIds, FinishReason finishReason, int promptTokens,
			List<ImageSize> imageSizes, double visionMs, double prefillMs, double decodeMs) {
		this(text, tokenIds, finishReason, promptTokens, imageSizes, visionMs, prefillMs, decodeMs, tokenIds.size());
	}

}
