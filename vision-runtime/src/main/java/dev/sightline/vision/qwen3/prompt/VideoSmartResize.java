package dev.sightline.vision.qwen3.prompt;

import java.util.Locale;

import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.InvalidImageException;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;

/**
 * Qwen3-VL's video {@code smart_resize} (QWEN3_VL spec §5.2): the pixel budget covers all frames
 * ({@code t_bar * h_bar * w_bar}); sides under the factor are first scaled up (the transformers 5.x rule the golden
 * set follows). Images use {@link SmartResize} with factor 32 (§4.1). IEEE double in the reference's order; Python's
 * half-even {@code round} is {@link Math#rint}.
 */
public final class VideoSmartResize {

	private VideoSmartResize() {
	}

	/**
	 * @param frames frames sampled from the video (before padding to an even count)
	 * @param factor patch x merge (32)
	 * @param temporalFactor temporal patch size (2)
	 */
	public static ImageSize fit(int frames, ImageSize frame, PixelBudget budget, int factor, int temporalFactor) {
		if (frames < temporalFactor) {
			throw new InvalidImageException("a video needs at least " + temporalFactor + " frames (the temporal "
					+ "patch), got " + frames);
		}
		double h = frame.heightPx();
		double w = frame.widthPx();
		if (h < factor || w < factor) {
			double scale = Math.max(factor / h, factor / w);
			h = (int) (h * scale);
			w = (int) (w * scale);
		}
		double aspect = Math.max(h, w) / Math.min(h, w);
		if (aspect > SmartResize.MAX_ASPECT_RATIO) {
			throw new InvalidImageException(String.format(Locale.ROOT,
					"absolute aspect ratio must be at most %.0f, got %.2f for %s", SmartResize.MAX_ASPECT_RATIO,
					aspect, frame));
		}
		double hBar = Math.rint(h / factor) * factor;
		double wBar = Math.rint(w / factor) * factor;
		double tBar = Math.rint((double) frames / temporalFactor) * temporalFactor;
		if (tBar * hBar * wBar > budget.maxPixels()) {
			double beta = Math.sqrt((frames * h * w) / budget.maxPixels());
			hBar = Math.max(factor, Math.floor(h / beta / factor) * factor);
			wBar = Math.max(factor, Math.floor(w / beta / factor) * factor);
		}
		else if (tBar * hBar * wBar < budget.minPixels()) {
			double beta = Math.sqrt(budget.minPixels() / (frames * h * w));
			hBar = Math.ceil(h * beta / factor) * factor;
			wBar = Math.ceil(w * beta / factor) * factor;
		}
		return new ImageSize((int) wBar, (int) hBar);
	}

}
