package dev.sightline.tools.eval;

import dev.sightline.tools.ToolsException;

/** A grounding set that cannot be read: missing folder or image, unknown annotation layout, bad box. */
public class InvalidGroundingSetException extends ToolsException {

	public InvalidGroundingSetException(String message) {
		super(message);
	}

	public InvalidGroundingSetException(String message, Throwable cause) {
		super(message, cause);
	}

}
