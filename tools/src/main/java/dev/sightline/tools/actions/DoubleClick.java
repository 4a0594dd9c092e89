package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/** {@code double_click}: double-click the left button. */
public record DoubleClick(@Nullable ModelPoint at) implements Click {

	public static final String NAME = "double_click";

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
		return 2;
	}

}
