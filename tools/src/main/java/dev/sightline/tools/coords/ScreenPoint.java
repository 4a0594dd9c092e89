package dev.sightline.tools.coords;

/**
 * A point on the target's screen: CSS pixels of the viewport in a browser (what Playwright's mouse takes), X screen
 * pixels on a desktop. Fractional because a device pixel ratio such as 1.25 puts device pixels between CSS pixels.
 */
public record ScreenPoint(double xPx, double yPx) {

	public ScreenPoint {
		if (!Double.isFinite(xPx) || !Double.isFinite(yPx)) {
			throw new IllegalArgumentException("screen point must be finite, got (" + xPx + ", " + yPx + ")");
		}
	}

	@Override
	public String toString() {
		return String.format(java.util.Locale.ROOT, "(%.2f, %.2f)", xPx, yPx);
	}

}
