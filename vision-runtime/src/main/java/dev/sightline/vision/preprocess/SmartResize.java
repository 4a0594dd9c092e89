package dev.sightline.vision.preprocess;

/**
 * Qwen2.5-VL's {@code smart_resize} (spec §4.1, golden README "preprocess_image"): the size an image is resized to
 * before patching, a multiple of 28 on both sides with its area inside the {@link PixelBudget}. The model answers
 * in pixels of this size, so coordinate mapping must use the same function and budget.
 */
public final class SmartResize {

	/** patch_size (14) x merge_size (2). */
	public static final int FACTOR = 28;

	/** Largest accepted ratio of the long to the short side; exactly 200 is allowed. */
	public static final double MAX_ASPECT_RATIO = 200;

	private SmartResize() {
	}

	public static ImageSize fit(ImageSize input, PixelBudget budget) {
		return fit(input, budget, FACTOR);
	}

	/** All arithmetic in IEEE double in the reference's order; Python's half-even round is {@link Math#rint}. */
	public static ImageSize fit(ImageSize input, PixelBudget budget, int factor) {
		double h = input.heightPx();
		double w = input.widthPx();
		double aspect = Math.max(h, w) / Math.min(h, w);
		if (aspect > MAX_ASPECT_RATIO) {
			throw new InvalidImageException(String.format(java.util.Locale.ROOT,
					"absolute aspect ratio must be at most %.0f, got %.2f for %s", MAX_ASPECT_RATIO, aspect, input));
		}
		double hBar = Math.rint(h / factor) * factor;
		double wBar = Math.rint(w / factor) * factor;
		if (hBar * wBar > budget.maxPixels()) {
			double beta = Math.sqrt((h * w) / budget.maxPixels());
			hBar = Math.max(factor, Math.floor(h / beta / factor) * factor);
			wBar = Math.max(factor, Math.floor(w / beta / factor) * factor);
		}
		else if (hBar * wBar < budget.minPixels()) {
			double beta = Math.sqrt(budget.minPixels() / (h * w));
			hBar = Math.ceil(h * beta / factor) * factor;
			wBar = Math.ceil(w * beta / factor) * factor;
		}
		return new ImageSize((int) wBar, (int) hBar);
	}

}
