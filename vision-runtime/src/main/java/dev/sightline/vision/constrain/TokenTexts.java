package dev.sightline.vision.constrain;

import java.util.Arrays;

/**
 * The text of every id of a vocabulary, decoded once per model, for checking tokens against a grammar. Added
 * tokens (the chat template's markers) and ids past the tokenizer are null: they never appear inside constrained
 * text. The function-call tags ({@code <tool_call>}) keep their text, for the wrapper of a forced call. A byte-level token holding part of a UTF-8 character decodes to U+FFFD, which the JSON
 * grammars allow only inside strings — exactly where such bytes may go.
 */
public final class TokenTexts {

	private final String[] texts;

	public TokenTexts(String[] texts) {
		this.texts = Arrays.copyOf(texts, texts.length);
	}

	/** The text of {@code id}, or null when it never belongs in constrained text. */
	public String text(int id) {
		return id >= 0 && id < texts.length ? texts[id] : null;
	}

	public int size() {
		return texts.length;
	}

}
