package dev.sightline.tools.keys;

import dev.sightline.tools.ToolsException;

/** A key name that is neither a single character nor one of the names {@link KeyNames} knows. */
public class UnknownKeyException extends ToolsException {

	public UnknownKeyException(String message) {
		super(message);
	}

}
