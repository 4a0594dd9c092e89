package dev.sightline.vision.chat;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import dev.sightline.vision.constrain.JsonGrammar;

/**
 * What OpenAI's API adds to decoding beside the sampling settings: penalties on the completion's own tokens,
 * log-probabilities reported with each token, and a grammar the answer must follow.
 *
 * @param frequencyPenalty subtracted from a token's logit once per time it was already generated, -2 .. 2
 * @param presencePenalty subtracted once from the logit of any token already generated, -2 .. 2
 * @param topLogprobs empty for no log-probabilities; else how many most likely alternatives to report per token
 *        (0 .. {@value #MAX_TOP_LOGPROBS}) beside the chosen one
 * @param format a JSON grammar the answer is decoded into (constrained decoding), empty for free text
 */
public record OutputControls(double frequencyPenalty, double presencePenalty, OptionalInt topLogprobs,
		Optional<JsonGrammar> format) {

	public static final int MAX_TOP_LOGPROBS = 20;

	public static final double MAX_PENALTY = 2;

	public static final OutputControls NONE = new OutputControls(0, 0, OptionalInt.empty(), Optional.empty());

	public OutputControls {
		checkPenalty("frequencyPenalty", frequencyPenalty);
		checkPenalty("presencePenalty", presencePenalty);
		Objects.requireNonNull(topLogprobs, "topLogprobs");
		if (topLogprobs.isPresent() && (topLogprobs.getAsInt() < 0 || topLogprobs.getAsInt() > MAX_TOP_LOGPROBS)) {
			throw new IllegalArgumentException("topLogprobs must be within [0, " + MAX_TOP_LOGPROBS + "], got "
					+ topLogprobs.getAsInt());
		}
		Objects.requireNonNull(format, "format");
	}

	private static void checkPenalty(String name, double value) {
		if (!(value >= -MAX_PENALTY && value <= MAX_PENALTY)) {
			throw new IllegalArgumentException(name + " must be within [-2, 2], got " + value);
		}
	}

	/** These controls with the answer decoded into {@code grammar}. */
	public OutputControls withFormat(JsonGrammar grammar) {
		return new OutputControls(frequencyPenalty, presencePenalty, topLogprobs, Optional.of(grammar));
	}

	public boolean penalties() {
		return frequencyPenalty != 0 || presencePenalty != 0;
	}

}
