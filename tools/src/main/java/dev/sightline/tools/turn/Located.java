package dev.sightline.tools.turn;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.parse.Grounding;

/**
 * A grounding answer read in pixels of the image the model saw, with the mapping that takes it to the screen.
 *
 * @param grounding point, optional box and label, in model pixels
 * @param mapping model image to screen
 */
public record Located(Grounding grounding, CoordinateMapping mapping) {

	public ModelPoint modelPoint() {
		return grounding.point();
	}

	/**
	 * The point on the screen.
	 * @throws dev.sightline.tools.coords.OutOfScreenException when the model pointed outside the image it saw
	 */
	public ScreenPoint point() {
		return mapping.toScreen(grounding.point());
	}

	/** Where the point lands by the same scale, even off the image (for reports of a miss). */
	public ScreenPoint projectedPoint() {
		return mapping.project(grounding.point());
	}

	/** The box's top-left and bottom-right corners on the screen by the same scale, unclamped; null without a box. */
	public ScreenPoint @Nullable [] projectedBox() {
		ModelBox box = grounding.box();
		if (box == null) {
			return null;
		}
		return new ScreenPoint[] { mapping.project(new ModelPoint(box.leftPx(), box.topPx())),
				mapping.project(new ModelPoint(box.rightPx(), box.bottomPx())) };
	}

}
