package dev.sightline.tools;

/** Root of every exception the tools module throws on purpose; subtypes exist where callers act differently. */
public class ToolsException extends RuntimeException {

	public ToolsException(String message) {
		super(message);
	}

	public ToolsException(String message, Throwable cause) {
		super(message, cause);
	}

}
