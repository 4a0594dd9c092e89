package dev.sightline.tools.actions;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;

/**
 * {@code left_click_drag}: press the left button, move to {@code to}, release. The schema drags from the pointer's
 * position; some outputs add {@code start_coordinate}, kept as {@code from}.
 */
public record LeftClickDrag(@Nullable ModelPoint from, ModelPoint to) implements Action {

	public static final String NAME = "left_click_drag";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ModelPoint> points() {
		List<ModelPoint> points = new ArrayList<>(2);
		if (from != null) {
			points.add(from);
		}
		points.add(to);
		return List.copyOf(points);
	}

}
