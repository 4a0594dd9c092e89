package dev.sightline.vision.preprocess;

import dev.sightline.vision.VisionRuntimeException;

/** An image or video the pipeline rejects; the message names what was wrong and the limit. */
public class InvalidImageException extends VisionRuntimeException {

	public InvalidImageException(String message) {
		super(message);
	}

	public InvalidImageException(String message, Throwable cause) {
		super(message, cause);
	}

}
