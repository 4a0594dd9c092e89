package dev.sightline.tools.actions;

/** The mouse button a click uses. */
public enum MouseButton {

	LEFT, RIGHT, MIDDLE

}
