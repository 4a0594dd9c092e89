package dev.sightline.vision.constrain;

import java.util.Set;

/**
 * Constrained decoding of one sequence into the text of a {@link JsonGrammar}: before each pick, every token whose
 * text the grammar does not allow next gets a score of minus infinity, and stop ids are allowed only once the value
 * is complete. Near the token limit only tokens that keep the shortest completion within the tokens left (one kept
 * for the stop id) stay allowed, so an answer is whole JSON even when the model would ramble — a model with random
 * weights included.
 * <p>
 * Each step feeds every candidate token's units (its bytes as {@link TokenTexts} reads them, so a JSON string stays
 * well-formed UTF-8 across tokens that each hold part of a character) to the current recognizer state (states are
 * immutable, so a try costs only the frames it creates); on Qwen's 151k vocabulary that is a few milliseconds per
 * token, well under a 3B model's decode step.
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
		// Most tokens fail on their first unit outside strings: one try per distinct first unit.
		JsonRecognizer[] afterFirst = new JsonRecognizer[TokenTexts.UNIT_LIMIT];
		boolean[] tried = new boolean[TokenTexts.UNIT_LIMIT];
		int[] units = vocabulary.units();
		int size = Math.min(logits.length, vocabulary.size());
		for (int id = 0; id < logits.length; id++) {
			nextMin[id] = -1;
			if (id >= size || stopIds.contains(id) || complete || logits[id] == Float.NEGATIVE_INFINITY) {
				continue;
			}
			int start = vocabulary.start(id);
			int end = vocabulary.end(id);
			if (start == end) {
				continue;
			}
			int first = units[start];
			if (!tried[first]) {
				tried[first] = true;
				afterFirst[first] = state.feed(units, start, start + 1);
			}
			JsonRecognizer next = afterFirst[first] == null ? null : afterFirst[first].feed(units, start + 1, end);
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
		boolean writes = tokenId >= 0 && tokenId < vocabulary.size()
				&& vocabulary.start(tokenId) < vocabulary.end(tokenId);
		JsonRecognizer next = writes
				? state.feed(vocabulary.units(), vocabulary.start(tokenId), vocabulary.end(tokenId)) : null;
		if (next == null) {
			throw new IllegalStateException(
					"token " + tokenId + " (" + vocabulary.text(tokenId) + ") is not allowed by the grammar here");
		}
		state = next;
	}

	public boolean complete() {
		return state.complete();
	}

}
