package dev.sightline.vision.video;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * One clip ready for the vision tower (spec §5).
 *
 * @param pixelValues {@code [grid.patches(), 1176]} row-major, as for images
 * @param grid {@code video_grid_thw}: temporal groups of 2 frames, patch rows, patch columns
 * @param resized the size every frame was resized to (from the first frame)
 * @param secondPerGridT seconds between consecutive temporal groups, from the frames' real timestamps; M-RoPE time
 * ids are {@code t * secondPerGridT * tokens_per_second}
 */
public record ProcessedVideo(float[] pixelValues, GridThw grid, ImageSize resized, float secondPerGridT) {

	@Override
	public String toString() {
		return "ProcessedVideo[grid=" + grid + ", resized=" + resized + ", secondPerGridT=" + secondPerGridT + "]";
	}

}
