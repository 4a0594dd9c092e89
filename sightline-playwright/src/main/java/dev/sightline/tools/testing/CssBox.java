package dev.sightline.tools.testing;

import dev.sightline.tools.coords.ScreenPoint;

/**
 * A box in CSS pixels of the viewport, origin top-left: what Playwright's mouse and {@code boundingBox()} use.
 */
public record CssBox(double xPx, double yPx, double widthPx, double heightPx) {

	public CssBox {
		if (!(widthPx >= 0) || !(heightPx >= 0) || !Double.isFinite(xPx) || !Double.isFinite(yPx)
				|| !Double.isFinite(widthPx) || !Double.isFinite(heightPx)) {
			throw new IllegalArgumentException("a box needs finite coordinates and a size >= 0, got (" + xPx + ", "
					+ yPx + ", " + widthPx + " x " + heightPx + ")");
		}
	}

	public ScreenPoint centre() {
		return new ScreenPoint(xPx + widthPx / 2, yPx + heightPx / 2);
	}

}
