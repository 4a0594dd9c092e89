package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;

/**
 * The log-probability of one generated token under the model's distribution at that step (log-softmax of its
 * logits, before penalties, temperature and any grammar mask, as vLLM reports by default), with the most likely
 * alternatives.
 *
 * @param token the token's text (a byte-level token holding part of a character decodes to U+FFFD)
 * @param top the {@code top_logprobs} most likely tokens, most likely first
 */
public record TokenLogprob(int tokenId, String token, double logprob, List<Alternative> top) {

	public TokenLogprob {
		Objects.requireNonNull(token, "token");
		top = List.copyOf(top);
	}

	public record Alternative(int tokenId, String token, double logprob) {
	}

}
