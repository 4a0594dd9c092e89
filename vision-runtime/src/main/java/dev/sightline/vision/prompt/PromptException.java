package dev.sightline.vision.prompt;

import dev.sightline.vision.VisionRuntimeException;

/** A conversation that cannot become a prompt: placeholders and media disagree, or the template fails. */
public class PromptException extends VisionRuntimeException {

	public PromptException(String message) {
		super(message);
	}

	public PromptException(String message, Throwable cause) {
		super(message, cause);
	}

}
