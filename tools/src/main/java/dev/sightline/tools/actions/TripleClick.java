package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/** {@code triple_click}: triple-click the left button (selects a line or paragraph). */
public record TripleClick(@Nullable ModelPoint at) implements Click {

	public static final String NAME = "triple_click";

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
		return 3;
	}

}
