package dev.sightline.vision.video;

import dev.sightline.vision.preprocess.InvalidImageException;

/** A clip the pipeline rejects: no frames, timestamps out of order, an undecodable file; the message says why. */
public class InvalidVideoException extends InvalidImageException {

	public InvalidVideoException(String message) {
		super(message);
	}

	public InvalidVideoException(String message, Throwable cause) {
		super(message, cause);
	}

}
