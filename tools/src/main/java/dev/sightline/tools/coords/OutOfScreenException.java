package dev.sightline.tools.coords;

import dev.sightline.tools.ToolsException;

/**
 * A point outside the image the model saw or outside the screen. Never clamped: a model that points off-screen has
 * misread the screenshot, and the loop should tell it so rather than click an edge.
 */
public class OutOfScreenException extends ToolsException {

	public OutOfScreenException(String message) {
		super(message);
	}

}
