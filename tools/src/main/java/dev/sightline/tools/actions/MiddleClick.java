package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/** {@code middle_click}: click the middle button. */
public record MiddleClick(@Nullable ModelPoint at) implements Click {

	public static final String NAME = "middle_click";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public MouseButton button() {
		return MouseButton.MIDDLE;
	}

	@Override
	public int clickCount() {
		return 1;
	}

}
