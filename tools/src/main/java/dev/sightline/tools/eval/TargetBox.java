package dev.sightline.tools.eval;

/**
 * The annotated element in pixels of the original image, corners inclusive as ScreenSpot's scripts judge them: a
 * prediction on the border counts as a hit.
 */
public record TargetBox(double leftPx, double topPx, double rightPx, double bottomPx) {

	public TargetBox {
		if (!Double.isFinite(leftPx) || !Double.isFinite(topPx) || !Double.isFinite(rightPx)
				|| !Double.isFinite(bottomPx)) {
			throw new IllegalArgumentException("box corners must be finite, got [" + leftPx + ", " + topPx + ", "
					+ rightPx + ", " + bottomPx + "]");
		}
		if (rightPx < leftPx || bottomPx < topPx) {
			throw new IllegalArgumentException("box must have right >= left and bottom >= top, got [" + leftPx + ", "
					+ topPx + ", " + rightPx + ", " + bottomPx + "]");
		}
	}

	/** ScreenSpot v1/v2 layout: {@code [x, y, width, height]}. */
	public static TargetBox ofXywh(double xPx, double yPx, double widthPx, double heightPx) {
		return new TargetBox(xPx, yPx, xPx + widthPx, yPx + heightPx);
	}

	public boolean contains(double xPx, double yPx) {
		return xPx >= leftPx && xPx <= rightPx && yPx >= topPx && yPx <= bottomPx;
	}

	public double centreXPx() {
		return (leftPx + rightPx) / 2;
	}

	public double centreYPx() {
		return (topPx + bottomPx) / 2;
	}

}
