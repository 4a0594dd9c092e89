package dev.sightline.tools.coords;

/**
 * A point in pixels of the smart-resized image the model saw (spec §9.1): origin top-left, x right, y down. Any
 * integers are representable because the model may answer outside the image; {@link CoordinateMapping} rejects
 * those.
 */
public record ModelPoint(int xPx, int yPx) {

	@Override
	public String toString() {
		return "(" + xPx + ", " + yPx + ")";
	}

}
