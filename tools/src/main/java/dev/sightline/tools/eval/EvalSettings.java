package dev.sightline.tools.eval;

import java.util.List;

import dev.sightline.vision.preprocess.PixelBudget;

/**
 * How a grounding run is done.
 *
 * @param maxPixels the {@code max_pixels} budgets each item runs at, in order (e.g. 200704, 1003520)
 * @param minPixels the {@code min_pixels} of every budget (the checkpoint's, 3136 by default)
 * @param concurrency model calls in flight at once, within [1, 256]
 */
public record EvalSettings(List<Long> maxPixels, long minPixels, int concurrency) {

	public static final long DEFAULT_MAX_PIXELS = 1_003_520;

	public static final long DEFAULT_MIN_PIXELS = 3_136;

	public EvalSettings {
		maxPixels = List.copyOf(maxPixels);
		if (maxPixels.isEmpty()) {
			throw new IllegalArgumentException("at least one max_pixels budget is needed");
		}
		if (maxPixels.stream().distinct().count() != maxPixels.size()) {
			throw new IllegalArgumentException("max_pixels budgets must be distinct, got " + maxPixels);
		}
		for (long max : maxPixels) {
			if (max < minPixels) {
				throw new IllegalArgumentException(
						"max_pixels " + max + " is below min_pixels " + minPixels + " (one 28x28 patch is 784)");
			}
		}
		if (minPixels < 784) {
			throw new IllegalArgumentException("min_pixels must be at least 784 (one 28x28 patch), got " + minPixels);
		}
		if (concurrency < 1 || concurrency > 256) {
			throw new IllegalArgumentException("concurrency must be within [1, 256], got " + concurrency);
		}
	}

	public static EvalSettings defaults() {
		return new EvalSettings(List.of(DEFAULT_MAX_PIXELS), DEFAULT_MIN_PIXELS, 1);
	}

	public List<PixelBudget> budgets() {
		return maxPixels.stream().map(max -> new PixelBudget(minPixels, max)).toList();
	}

}
