package dev.sightline.tools.coords;

import java.util.List;
import java.util.Locale;

import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;

/**
 * Maps between model pixels and screen pixels (spec §9.1). Model pixels are those of the smart-resized image;
 * screenshot pixels are device pixels; screen pixels are device pixels divided by the device pixel ratio (CSS px in
 * a browser, X px on a desktop where the ratio is 1):
 * {@code x_screen = x_model * W_screenshot / W_model / dpr}. No clamping: points outside either frame throw
 * {@link OutOfScreenException}.
 *
 * @param screenshot size of the screenshot in device pixels
 * @param model size of the image the model saw ({@link SmartResize} of the screenshot)
 * @param devicePixelRatio device pixels per screen pixel
 */
public record CoordinateMapping(ImageSize screenshot, ImageSize model, double devicePixelRatio) {

	public CoordinateMapping {
		if (!(devicePixelRatio > 0) || !Double.isFinite(devicePixelRatio) || devicePixelRatio > 16) {
			throw new IllegalArgumentException("device pixel ratio must be within (0, 16], got " + devicePixelRatio);
		}
	}

	/** The mapping for a screenshot fed to a model that resizes it by {@code resize}. */
	public static CoordinateMapping forScreenshot(ImageSize screenshot, double devicePixelRatio, ImageResize resize) {
		return new CoordinateMapping(screenshot, resize.size(screenshot), devicePixelRatio);
	}

	/** The mapping for a screenshot fed to a model with Qwen2.5-VL's resize rule within {@code budget}. */
	public static CoordinateMapping forScreenshot(ImageSize screenshot, double devicePixelRatio, PixelBudget budget) {
		return forScreenshot(screenshot, devicePixelRatio, ImageResize.qwen25(budget));
	}

	/**
	 * This mapping with the model frame the model reports it saw ({@code Generation.imageSizes()}, the screenshot
	 * last): its coordinates refer to that frame even if a server resized the image again. Unchanged when it reports
	 * none.
	 */
	public CoordinateMapping seen(List<ImageSize> imageSizes) {
		if (imageSizes.isEmpty() || imageSizes.getLast().equals(model)) {
			return this;
		}
		return new CoordinateMapping(screenshot, imageSizes.getLast(), devicePixelRatio);
	}

	/** Screen size in screen pixels (CSS px / X px). */
	public double screenWidthPx() {
		return screenshot.widthPx() / devicePixelRatio;
	}

	public double screenHeightPx() {
		return screenshot.heightPx() / devicePixelRatio;
	}

	public ScreenPoint toScreen(ModelPoint point) {
		if (point.xPx() < 0 || point.xPx() >= model.widthPx() || point.yPx() < 0 || point.yPx() >= model.heightPx()) {
			throw new OutOfScreenException("model point " + point + " is outside the " + model
					+ " image the model saw (x must be in [0, " + model.widthPx() + "), y in [0, "
					+ model.heightPx() + "))");
		}
		return project(point);
	}

	/**
	 * Where {@code point} lands on the screen by the same scale as {@link #toScreen}, without the bounds check: for
	 * reports of an answer that lies off the image (a grounding miss drawn where it would have landed).
	 */
	public ScreenPoint project(ModelPoint point) {
		double x = (double) point.xPx() * screenshot.widthPx() / model.widthPx() / devicePixelRatio;
		double y = (double) point.yPx() * screenshot.heightPx() / model.heightPx() / devicePixelRatio;
		return new ScreenPoint(x, y);
	}

	/** The same screen, seen by the model at {@code seen} (the size it reports having processed). */
	public CoordinateMapping seenAt(ImageSize seen) {
		return seen.equals(model) ? this : new CoordinateMapping(screenshot, seen, devicePixelRatio);
	}

	public ModelPoint toModel(ScreenPoint point) {
		if (point.xPx() < 0 || point.xPx() >= screenWidthPx() || point.yPx() < 0 || point.yPx() >= screenHeightPx()) {
			throw new OutOfScreenException(String.format(Locale.ROOT,
					"screen point %s is outside the %.2fx%.2f screen (device pixel ratio %s)", point, screenWidthPx(),
					screenHeightPx(), devicePixelRatio));
		}
		int x = (int) Math.rint(point.xPx() * devicePixelRatio * model.widthPx() / screenshot.widthPx());
		int y = (int) Math.rint(point.yPx() * devicePixelRatio * model.heightPx() / screenshot.heightPx());
		// Rounding up at the last screen pixel can step one past the model image's edge.
		return new ModelPoint(Math.min(x, model.widthPx() - 1), Math.min(y, model.heightPx() - 1));
	}

}
