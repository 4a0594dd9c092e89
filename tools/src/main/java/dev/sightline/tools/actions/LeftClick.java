package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/** {@code left_click}: click the left button. */
public record LeftClick(@Nullable ModelPoint at) implements Click {

	public static final String NAME = "left_click";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public MouseButton button() {
		return MouseButton.LEFT;
	}

	@Override
	public int clickCount() {
		return 1;
	}

}
