package dev.sightline.tools.actions;

import java.util.List;

import dev.sightline.tools.coords.ModelPoint;

/** {@code mouse_move}: move the pointer to a point (hover). */
public record MouseMove(ModelPoint at) implements Action {

	public static final String NAME = "mouse_move";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<ModelPoint> points() {
		return List.of(at);
	}

}
