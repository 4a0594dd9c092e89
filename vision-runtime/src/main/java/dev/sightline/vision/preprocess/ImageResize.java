package dev.sightline.vision.preprocess;

import java.util.Objects;

/**
 * How a model resizes an image before patching (spec §4.1-§4.3): {@link SmartResize} to multiples of {@code factor}
 * inside the {@link PixelBudget}, then Pillow-exact bicubic. The one place the size the model sees is computed: the
 * agent maps the model's coordinates back with {@link #size}, and resizes a screenshot once with {@link #apply}, so
 * the model's own processor finds the image already at its size and leaves it as it is.
 *
 * @param budget min/max pixels after resizing (the checkpoint's {@code preprocessor_config.json})
 * @param factor side length the size rounds to: patch x merge (28 for Qwen2.5-VL, 32 for Qwen3-VL)
 */
public record ImageResize(PixelBudget budget, int factor) {

	public ImageResize {
		Objects.requireNonNull(budget, "budget");
		if (factor < 1) {
			throw new IllegalArgumentException("resize factor must be at least 1, got " + factor);
		}
	}

	/** Qwen2.5-VL's rule ({@link SmartResize#FACTOR}) within {@code budget}. */
	public static ImageResize qwen25(PixelBudget budget) {
		return new ImageResize(budget, SmartResize.FACTOR);
	}

	/** The size an image of {@code input} has once resized: the pixel frame of the model's coordinates. */
	public ImageSize size(ImageSize input) {
		return SmartResize.fit(input, budget, factor);
	}

	/**
	 * {@code image} resized to {@link #size}; the same image when it already has that size (Pillow returns a copy
	 * there, the same pixels).
	 */
	public RgbImage apply(RgbImage image) {
		ImageSize target = size(image.size());
		return target.equals(image.size()) ? image : PilBicubic.resize(image, target);
	}

}
