package dev.sightline.tools.execute;

import java.util.Arrays;
import java.util.List;

import dev.sightline.vision.preprocess.RgbImage;

/** Paints regions of a screenshot black, so what they showed (a typed secret) is neither stored nor sent. */
public final class ScreenshotMask {

	/**
	 * A region in screen pixels (CSS px in a browser), at the top-left corner {@code (xPx, yPx)}.
	 */
	public record Box(double xPx, double yPx, double widthPx, double heightPx) {
	}

	private ScreenshotMask() {
	}

	/** {@code shot} with every box painted over; the same screenshot when there is none. */
	public static Screenshot paint(Screenshot shot, List<Box> boxes) {
		if (boxes.isEmpty()) {
			return shot;
		}
		int width = shot.widthPx();
		int height = shot.heightPx();
		byte[] rgb = shot.pixels().rgb().clone();
		double dpr = shot.devicePixelRatio();
		for (Box box : boxes) {
			// Screenshots are in device pixels, boxes in screen pixels; round outward so no edge pixel survives.
			int x0 = Math.clamp((long) Math.floor(box.xPx() * dpr), 0, width);
			int y0 = Math.clamp((long) Math.floor(box.yPx() * dpr), 0, height);
			int x1 = Math.clamp((long) Math.ceil((box.xPx() + box.widthPx()) * dpr), x0, width);
			int y1 = Math.clamp((long) Math.ceil((box.yPx() + box.heightPx()) * dpr), y0, height);
			for (int y = y0; y < y1; y++) {
				Arrays.fill(rgb, (y * width + x0) * 3, (y * width + x1) * 3, (byte) 0);
			}
		}
		return shot.withPixels(RgbImage.of(rgb, width, height));
	}

	/** {@code shot} painted black entirely: where the region that may show a secret cannot be located. */
	public static Screenshot whole(Screenshot shot) {
		return shot.withPixels(RgbImage.of(new byte[shot.widthPx() * shot.heightPx() * 3], shot.widthPx(),
				shot.heightPx()));
	}

}
