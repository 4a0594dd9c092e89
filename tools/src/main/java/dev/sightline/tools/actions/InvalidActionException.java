package dev.sightline.tools.actions;

import dev.sightline.tools.ToolsException;

/** An action whose arguments are out of range (empty text, zero scroll, an over-long wait...). */
public class InvalidActionException extends ToolsException {

	public InvalidActionException(String message) {
		super(message);
	}

}
