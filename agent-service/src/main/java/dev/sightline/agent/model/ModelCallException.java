package dev.sightline.agent.model;

/** One model call failed (endpoint down, HTTP error, time-out); the task fails with this message. */
public class ModelCallException extends RuntimeException {

	public ModelCallException(String message, Throwable cause) {
		super(message, cause);
	}

}
