package dev.sightline.tools.eval;

/** A browser viewport in CSS pixels, written {@code WIDTHxHEIGHT}. */
public record Viewport(int widthPx, int heightPx) {

	public static final int MAX_SIDE_PX = 8192;

	public Viewport {
		if (widthPx < 64 || heightPx < 64 || widthPx > MAX_SIDE_PX || heightPx > MAX_SIDE_PX) {
			throw new IllegalArgumentException(
					"viewport sides must be within [64, " + MAX_SIDE_PX + "] px, got " + widthPx + "x" + heightPx);
		}
	}

	public static Viewport parse(String text) {
		String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x");
		if (parts.length != 2) {
			throw new IllegalArgumentException("viewport must look like 1280x800, got '" + text + "'");
		}
		try {
			return new Viewport(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("viewport must look like 1280x800, got '" + text + "'");
		}
	}

	@Override
	public String toString() {
		return widthPx + "x" + heightPx;
	}

}
