package dev.sightline.tools.actions;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/**
 * The click actions. The schema gives clicks no coordinate, yet the model adds one nearly always (spec §9.4): with a
 * point the executor moves there first, without one it clicks where the pointer is.
 */
public sealed interface Click extends Action permits LeftClick, RightClick, MiddleClick, DoubleClick, TripleClick {

	/** Where to click, or {@code null} for the pointer's current position. */
	@Nullable ModelPoint at();

	MouseButton button();

	int clickCount();

	@Override
	default List<ModelPoint> points() {
		ModelPoint at = at();
		return at == null ? List.of() : List.of(at);
	}

}
