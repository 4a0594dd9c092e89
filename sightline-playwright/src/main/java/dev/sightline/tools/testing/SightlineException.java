package dev.sightline.tools.testing;

import dev.sightline.tools.ToolsException;

/**
 * A step of the test library could not run: the model's answer was unusable (no point, no JSON, wrong shape) or the
 * model endpoint failed. A step that ran and found the page wrong throws {@link SightlineAssertionError} instead.
 */
public class SightlineException extends ToolsException {

	public SightlineException(String message) {
		super(message);
	}

	public SightlineException(String message, Throwable cause) {
		super(message, cause);
	}

}
