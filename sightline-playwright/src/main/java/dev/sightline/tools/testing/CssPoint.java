package dev.sightline.tools.testing;

import java.util.Locale;

/** A point in CSS pixels of the viewport, origin top-left. */
public record CssPoint(double xPx, double yPx) {

	public CssPoint {
		if (!Double.isFinite(xPx) || !Double.isFinite(yPx)) {
			throw new IllegalArgumentException("a point needs finite coordinates, got (" + xPx + ", " + yPx + ")");
		}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "(%.1f, %.1f)", xPx, yPx);
	}

}
