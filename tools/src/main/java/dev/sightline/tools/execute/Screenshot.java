package dev.sightline.tools.execute;

import java.time.Instant;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * A PNG of the target as captured, in device pixels, with the device pixel ratio that relates it to screen pixels
 * (CSS px in a browser; 1 on a desktop).
 */
public record Screenshot(byte[] png, int widthPx, int heightPx, double devicePixelRatio, Instant capturedAt) {

	public Screenshot {
		if (png.length == 0) {
			throw new IllegalArgumentException("screenshot PNG is empty");
		}
		size(widthPx, heightPx);
	}

	private static ImageSize size(int widthPx, int heightPx) {
		return new ImageSize(widthPx, heightPx);
	}

	public ImageSize size() {
		return size(widthPx, heightPx);
	}

	/** The mapping for this screenshot once the model gets it smart-resized within {@code budget}. */
	public CoordinateMapping mapping(PixelBudget budget) {
		return CoordinateMapping.forScreenshot(size(), devicePixelRatio, budget);
	}

}
