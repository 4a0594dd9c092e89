package dev.sightline.tools.coords;

/**
 * A box in model-image pixels as grounding answers give it ({@code bbox_2d: [x1, y1, x2, y2]}). Corners given in the
 * wrong order are swapped, as the Qwen cookbooks do, so {@code left <= right} and {@code top <= bottom} always hold.
 */
public record ModelBox(int leftPx, int topPx, int rightPx, int bottomPx) {

	public ModelBox {
		if (leftPx > rightPx) {
			int swap = leftPx;
			leftPx = rightPx;
			rightPx = swap;
		}
		if (topPx > bottomPx) {
			int swap = topPx;
			topPx = bottomPx;
			bottomPx = swap;
		}
	}

	/** The centre, rounded half up: where a click on this box lands. */
	public ModelPoint centre() {
		return new ModelPoint((int) Math.floorDiv((long) leftPx + rightPx + 1, 2),
				(int) Math.floorDiv((long) topPx + bottomPx + 1, 2));
	}

}
