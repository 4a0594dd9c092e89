package dev.sightline.vision.constrain;

import java.util.Set;

/**
 * Constrained decoding of one sequence into the text of a {@link JsonGrammar}: before each pick, every token whose
 * text the grammar does not allow next gets a score of minus infinity, and stop ids are allowed only once the value
 * is complete. Near the token limit only tokens that keep the shortest completion within the tokens left (one kept
 * for the stop id) stay allowed, so an answer is whole JSON even when the model would ramble — a model with random
 * weights included.
 * <p>
 * Each step feeds every candidate token's text to the current recognizer state (states are immutable, so a try
 * costs only the frames it creates); on Qwen's 151k vocabulary that is a few milliseconds per token, well under a
 * 3B model's decode step.
 */
public final class JsonConstraint {

	private final TokenTexts vocabulary;

	private final Set<Integer> stopIds;

	private JsonRecognizer state;

	public JsonConstraint(JsonGrammar grammar, TokenTexts vocabulary, Set<Integer> stopIds) {
		this.vocabulary = vocabulary;
		this.stopIds = stopIds;
		this.state = JsonRecognizer.start(grammar);
	}

	/**
	 * Sets the logits of tokens not allowed next to minus infinity.
	 * @param tokensLeft tokens this sequence may still generate, this one included
	 */
	public void mask(float[] logits, int tokensLeft) {
		boolean complete = state.complete();
		int budget = tokensLeft - 2; // after this token, keep one for the stop id
		int[] nextMin = new int[logits.length];
		boolean any = false;
		// Most tokens fail on their first character outside strings: one try per distinct first character.
		JsonRecognizer[] afterFirst = new JsonRecognizer[Character.MAX_VALUE + 1];
		boolean[] tried = new boolean[Character.MAX_VALUE + 1];
		for (int id = 0; id < logits.length; id++) {
			nextMin[id] = -1;
			if (stopIds.contains(id) || complete || logits[id] == Float.NEGATIVE_INFINITY) {
				continue;
			}
			String text = vocabulary.text(id);
			if (text == null || text.isEmpty()) {
				continue;
			}
			char first = text.charAt(0);
			if (!tried[first]) {
				tried[first] = true;
				afterFirst[first] = state.feed(text.substring(0, 1));
			}
			JsonRecognizer next = afterFirst[first] == null ? null : afterFirst[first].feed(text, 1);
			if (next != null) {
				nextMin[id] = next.minRemaining();
				any |= nextMin[id] == 0 || nextMin[id] <= budget;
			}
		}
		// When even the best token cannot close in time, take those that shorten the way most surely.
		int current = state.minRemaining();
		for (int id = 0; id < logits.length; id++) {
			boolean allowed;
			if (stopIds.contains(id)) {
				allowed = complete;
			}
			else if (nextMin[id] < 0) {
				allowed = false;
			}
			else {
				allowed = any ? nextMin[id] == 0 || nextMin[id] <= budget : nextMin[id] < current;
			}
			if (!allowed) {
				logits[id] = Float.NEGATIVE_INFINITY;
			}
		}
	}

	/** Advances past the picked token (a stop id leaves the state as it is). */
	public void accept(int tokenId) {
		if (stopIds.contains(tokenId)) {
			return;
		}
		String text = vocabulary.text(tokenId);
		JsonRecognizer next = text == null ? null : state.feed(text);
		if (next == null) {
			throw new IllegalStateException("token " + tokenId + " (" + text + ") is not allowed by the grammar here");
		}
		state = next;
	}

	public boolean complete() {
		return state.complete();
	}

}
