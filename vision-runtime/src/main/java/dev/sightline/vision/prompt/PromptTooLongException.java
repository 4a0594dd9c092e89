package dev.sightline.vision.prompt;

/** A prompt with more tokens than the model's context; callers may drop history or shrink images and retry. */
public class PromptTooLongException extends PromptException {

	private final int tokens;

	private final int limit;

	public PromptTooLongException(int tokens, int limit) {
		super("the prompt has " + tokens + " tokens (images and videos expanded), above the model's context of "
				+ limit + " tokens");
		this.tokens = tokens;
		this.limit = limit;
	}

	public int tokens() {
		return tokens;
	}

	public int limit() {
		return limit;
	}

}
