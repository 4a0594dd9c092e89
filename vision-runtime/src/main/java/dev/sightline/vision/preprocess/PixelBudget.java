package dev.sightline.vision.preprocess;

/**
 * The min/max pixel area an image may have after {@link SmartResize} (spec §4.2). Always take it from the
 * checkpoint's {@code preprocessor_config.json}: the class default (1,003,520) differs from the published file.
 */
public record PixelBudget(long minPixels, long maxPixels) {

	/** Published {@code preprocessor_config.json}: 4 .. 16384 visual tokens of 28x28 pixels. */
	public static final PixelBudget PUBLISHED = new PixelBudget(3136, 12_845_056);

	public PixelBudget {
		if (minPixels < 1) {
			throw new IllegalArgumentException("min_pixels must be at least 1, got " + minPixels);
		}
		if (maxPixels < minPixels) {
			throw new IllegalArgumentException(
					"max_pixels (" + maxPixels + ") must be at least min_pixels (" + minPixels + ")");
		}
	}

}
