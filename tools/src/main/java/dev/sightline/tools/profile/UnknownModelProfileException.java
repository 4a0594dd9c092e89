package dev.sightline.tools.profile;

import dev.sightline.tools.ToolsException;

/** {@code sightline.model.profile} names no profile, or {@code auto} cannot tell the family; the message says which. */
public class UnknownModelProfileException extends ToolsException {

	public UnknownModelProfileException(String message) {
		super(message);
	}

}
