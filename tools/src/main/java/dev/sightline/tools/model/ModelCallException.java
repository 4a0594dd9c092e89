package dev.sightline.tools.model;

import dev.sightline.tools.ToolsException;

/** One model call failed (endpoint down, HTTP error, time-out); the task or test step fails with this message. */
public class ModelCallException extends ToolsException {

	public ModelCallException(String message, Throwable cause) {
		super(message, cause);
	}

}
