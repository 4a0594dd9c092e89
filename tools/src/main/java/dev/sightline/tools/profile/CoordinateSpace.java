package dev.sightline.tools.profile;

import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * Where a family's answer points live. Sightline's actions carry points in pixels of the image the model saw
 * ({@link ModelPoint}); a relative family's answer is converted to those pixels right after parsing, so the one
 * {@code CoordinateMapping} takes every family from there to the screen.
 */
public enum CoordinateSpace {

	/** Pixels of the smart-resized image the model saw (Qwen2.5-VL spec §9.1; UI-TARS README_coordinates.md). */
	MODEL_PIXELS,

	/**
	 * A 0–1000 grid over the original image whatever its size (Qwen3-VL spec §10; QwenLM/Qwen3-VL #1521, #1741):
	 * {@code x_px = x / 1000 * W}. One grid step is {@code W / 1000} pixels, the family's resolution.
	 */
	RELATIVE_1000;

	/** Grid steps across the image in {@link #RELATIVE_1000}. */
	public static final int GRID = 1000;

	/** Values a little above the grid's end are tolerated (spec §10: "a few above") and clamped to the edge. */
	static final int GRID_TOLERANCE = 10;

	/** The point in pixels of the model image {@code model}; rejects what lies off the image by more than slack. */
	public ModelPoint toModelPixels(ModelPoint answer, ImageSize model) {
		return switch (this) {
			case MODEL_PIXELS -> answer;
			case RELATIVE_1000 -> new ModelPoint(fromGrid(answer.xPx(), model.widthPx(), "x"),
					fromGrid(answer.yPx(), model.heightPx(), "y"));
		};
	}

	/** The inverse of {@link #toModelPixels}: what a model of this family writes for a point of the model image. */
	public ModelPoint fromModelPixels(ModelPoint point, ImageSize model) {
		return switch (this) {
			case MODEL_PIXELS -> point;
			case RELATIVE_1000 -> new ModelPoint((int) Math.round((double) point.xPx() * GRID / model.widthPx()),
					(int) Math.round((double) point.yPx() * GRID / model.heightPx()));
		};
	}

	/** The screen size the computer-use prompt announces: the model image, or the grid for a relative family. */
	public ImageSize announcedDisplay(ImageSize model) {
		return this == RELATIVE_1000 ? new ImageSize(GRID, GRID) : model;
	}

	private static int fromGrid(int value, int sizePx, String axis) {
		if (value < 0 || value > GRID + GRID_TOLERANCE) {
			throw new IllegalArgumentException(axis + " " + value + " is outside the relative grid [0, " + GRID
					+ "] (a few above " + GRID + " are tolerated)");
		}
		long px = Math.round((double) value * sizePx / GRID);
		return (int) Math.min(px, sizePx - 1);
	}

}
