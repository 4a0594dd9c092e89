package dev.sightline.vision.preprocess;

/**
 * {@code image_grid_thw} / {@code video_grid_thw} of one image or video, in patch units of 14 px (spec §4.4):
 * temporal groups, patch rows, patch columns.
 */
public record GridThw(int t, int h, int w) {

	public GridThw {
		if (t < 1 || h < 1 || w < 1) {
			throw new IllegalArgumentException("grid_thw must be positive, got [" + t + ", " + h + ", " + w + "]");
		}
	}

	/** Rows of pixel_values for this grid. */
	public int patches() {
		return t * h * w;
	}

	/** LLM placeholder tokens after the 2x2 merge. */
	public int tokens(int mergeSize) {
		return patches() / (mergeSize * mergeSize);
	}

}
