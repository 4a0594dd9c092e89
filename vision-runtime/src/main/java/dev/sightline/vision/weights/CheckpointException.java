package dev.sightline.vision.weights;

import dev.sightline.vision.VisionRuntimeException;

/** A checkpoint that cannot be used as it is: missing, truncated, mismatched; the message lists what is wrong. */
public class CheckpointException extends VisionRuntimeException {

	public CheckpointException(String message) {
		super(message);
	}

	public CheckpointException(String message, Throwable cause) {
		super(message, cause);
	}

}
