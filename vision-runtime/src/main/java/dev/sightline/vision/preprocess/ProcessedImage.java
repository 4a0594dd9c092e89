package dev.sightline.vision.preprocess;

/**
 * One image ready for the vision tower (spec §4.4).
 *
 * @param pixelValues {@code [grid.patches(), 3 * temporal * patch * patch]} (1176 wide), row-major, rows in 2x2
 * merge-block order
 * @param grid {@code image_grid_thw} in 14-px patch units
 * @param resized the size the model sees: its coordinates refer to this frame
 */
public record ProcessedImage(float[] pixelValues, GridThw grid, ImageSize resized) {

	@Override
	public String toString() {
		return "ProcessedImage[grid=" + grid + ", resized=" + resized + ", values=" + pixelValues.length + "]";
	}

}
