package dev.sightline.tools.actions;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/**
 * {@code scroll}: turn the wheel by {@code pixels}, positive = up (towards the top of the page), negative = down,
 * as the schema defines it; optionally at a point (the pointer moves there first).
 */
public record Scroll(int pixels, @Nullable ModelPoint at) implements Action {

	public static final String NAME = "scroll";

	/** Larger values are runaway numbers; a page that long is scrolled in several steps. */
	public static final int MAX_PIXELS = 100_000;

	public Scroll {
		if (pixels == 0) {
			throw new InvalidActionException("scroll needs non-zero pixels (positive = up, negative = down)");
		}
		if (Math.abs(pixels) > MAX_PIXELS) {
			throw new InvalidActionException("scroll of " + pixels + " pixels exceeds the limit of +-" + MAX_PIXELS);
		}
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ModelPoint> points() {
		return at == null ? List.of() : List.of(at);
	}

}
