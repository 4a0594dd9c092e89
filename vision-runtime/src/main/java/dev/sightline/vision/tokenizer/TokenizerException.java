package dev.sightline.vision.tokenizer;

import dev.sightline.vision.VisionRuntimeException;

/** A tokenizer file that cannot be loaded, or a token the vocabulary lacks. */
public class TokenizerException extends VisionRuntimeException {

	public TokenizerException(String message) {
		super(message);
	}

	public TokenizerException(String message, Throwable cause) {
		super(message, cause);
	}

}
