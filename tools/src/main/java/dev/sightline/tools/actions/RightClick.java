package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/** {@code right_click}: click the right button. */
public record RightClick(@Nullable ModelPoint at) implements Click {

	public static final String NAME = "right_click";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public MouseButton button() {
		return MouseButton.RIGHT;
	}

	@Override
	public int clickCount() {
		return 1;
	}

}
