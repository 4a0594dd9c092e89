package dev.sightline.vision.preprocess;

import java.util.List;
import java.util.Objects;

/**
 * Qwen2.5-VL's image processor (spec §4): decode, composite alpha onto white, {@link SmartResize}, Pillow-exact
 * bicubic resize, then rescale + normalize + patchify fused into one pass. Settings come from the checkpoint's
 * {@code preprocessor_config.json}; a request may override the pixel budget.
 */
public final class ImageProcessor {

	private final ProcessorConfig config;

	private final ImageDecoder decoder;

	private final PatchFlattener flattener;

	// Null: every encoded image is decoded and resized.
	private final ProcessedImageMemo memo;

	public ImageProcessor(ProcessorConfig config) {
		this(config, new ImageDecoder());
	}

	public ImageProcessor(ProcessorConfig config, ImageDecoder decoder) {
		this(config, decoder, null);
	}

	/** @param memo answers an encoded image processed before from its bytes (an agent's history screenshots) */
	public ImageProcessor(ProcessorConfig config, ProcessedImageMemo memo) {
		this(config, new ImageDecoder(), Objects.requireNonNull(memo, "memo"));
	}

	private ImageProcessor(ProcessorConfig config, ImageDecoder decoder, ProcessedImageMemo memo) {
		this.config = Objects.requireNonNull(config, "config");
		this.decoder = Objects.requireNonNull(decoder, "decoder");
		this.flattener = new PatchFlattener(config);
		this.memo = memo;
	}

	public ProcessorConfig config() {
		return config;
	}

	public ImageDecoder decoder() {
		return decoder;
	}

	/** With the checkpoint's pixel budget. */
	public ProcessedImage process(byte[] encoded) {
		return process(encoded, config.budget());
	}

	public ProcessedImage process(byte[] encoded, PixelBudget budget) {
		if (memo != null) {
			return memo.process(encoded, budget, () -> resizeAndPatch(decoder.decode(encoded), budget));
		}
		return resizeAndPatch(decoder.decode(encoded), budget);
	}

	/**
	 * From already decoded pixels (a screenshot the agent holds): an image already at its smart-resized size, as the
	 * agent sends it, is patched as it is.
	 */
	public ProcessedImage process(RgbImage image, PixelBudget budget) {
		if (memo != null) {
			return memo.process(image, budget, () -> resizeAndPatch(image, budget));
		}
		return resizeAndPatch(image, budget);
	}

	private ProcessedImage resizeAndPatch(RgbImage image, PixelBudget budget) {
		RgbImage resized = resize(image, budget);
		return new ProcessedImage(flattener.flatten(List.of(resized), resized.size()),
				flattener.grid(1, resized.size()), resized.size());
	}

	/** The smart-resized, Pillow-bicubic-resampled 8-bit image ({@code resized_u8} of the golden cases). */
	public RgbImage resize(RgbImage image, PixelBudget budget) {
		return resizeRule(budget).apply(image);
	}

	/** This checkpoint's resize rule within {@code budget}. */
	public ImageResize resizeRule(PixelBudget budget) {
		return new ImageResize(budget, config.factor());
	}

	/** Patchifies frames that already have the target size: the last step of {@link #process}. */
	public float[] flatten(List<RgbImage> frames, ImageSize size) {
		return flattener.flatten(frames, size);
	}

	public GridThw grid(int frameCount, ImageSize size) {
		return flattener.grid(frameCount, size);
	}

}
