package dev.sightline.vision.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The image processor settings of a checkpoint's {@code preprocessor_config.json} (spec §4.2). Both the flat
 * {@code min_pixels}/{@code max_pixels} form and the newer {@code size.shortest_edge}/{@code size.longest_edge} form
 * (pixel areas despite the names) are read; flat keys win, as in transformers.
 *
 * @param budget min/max pixel area after smart resize
 * @param patchSize ViT patch side in pixels (14)
 * @param mergeSize patches merged per side into one LLM token (2)
 * @param temporalPatchSize frames per temporal patch (2)
 * @param imageMean per-channel mean (RGB) subtracted after rescaling
 * @param imageStd per-channel standard deviation (RGB) divided by after subtracting the mean
 * @param rescaleFactor multiplier from 8-bit values to [0, 1] (1/255)
 */
public record ProcessorConfig(PixelBudget budget, int patchSize, int mergeSize, int temporalPatchSize,
		float[] imageMean, float[] imageStd, double rescaleFactor) {

	/** OpenAI CLIP normalisation, used by every Qwen2.5-VL checkpoint. */
	static final float[] CLIP_MEAN = { 0.48145466f, 0.4578275f, 0.40821073f };

	static final float[] CLIP_STD = { 0.26862954f, 0.26130258f, 0.27577711f };

	/** The published Qwen2.5-VL {@code preprocessor_config.json}. */
	public static final ProcessorConfig PUBLISHED = new ProcessorConfig(PixelBudget.PUBLISHED, 14, 2, 2, CLIP_MEAN,
			CLIP_STD, 1.0 / 255);

	/** transformers' class defaults, used for keys a file leaves out (note max_pixels 1,003,520, not 12,845,056). */
	private static final PixelBudget CLASS_DEFAULT_BUDGET = new PixelBudget(56 * 56, 28 * 28 * 1280);

	private static final ObjectMapper JSON = new ObjectMapper();

	public ProcessorConfig {
		if (patchSize < 1 || mergeSize < 1 || temporalPatchSize < 1) {
			throw new IllegalArgumentException("patch_size, merge_size and temporal_patch_size must be positive, got "
					+ patchSize + ", " + mergeSize + ", " + temporalPatchSize);
		}
		if (imageMean.length != 3 || imageStd.length != 3) {
			throw new IllegalArgumentException("image_mean and image_std need 3 (RGB) values, got "
					+ Arrays.toString(imageMean) + " and " + Arrays.toString(imageStd));
		}
		for (float std : imageStd) {
			if (!(std > 0)) {
				throw new IllegalArgumentException("image_std values must be > 0, got " + Arrays.toString(imageStd));
			}
		}
		if (!(rescaleFactor > 0)) {
			throw new IllegalArgumentException("rescale_factor must be > 0, got " + rescaleFactor);
		}
		imageMean = imageMean.clone();
		imageStd = imageStd.clone();
	}

	public static ProcessorConfig read(Path preprocessorConfigJson) {
		try {
			return fromJson(JSON.readTree(Files.readString(preprocessorConfigJson)));
		}
		catch (IOException | RuntimeException e) {
			throw new InvalidImageException("cannot read image processor settings from " + preprocessorConfigJson
					+ ": " + e.getMessage(), e);
		}
	}

	public static ProcessorConfig fromJson(JsonNode root) {
		JsonNode size = root.path("size");
		long minPixels = root.path("min_pixels").asLong(size.path("shortest_edge")
			.asLong(size.path("min_pixels").asLong(CLASS_DEFAULT_BUDGET.minPixels())));
		long maxPixels = root.path("max_pixels").asLong(size.path("longest_edge")
			.asLong(size.path("max_pixels").asLong(CLASS_DEFAULT_BUDGET.maxPixels())));
		return new ProcessorConfig(new PixelBudget(minPixels, maxPixels), root.path("patch_size").asInt(14),
				root.path("merge_size").asInt(2), root.path("temporal_patch_size").asInt(2),
				floats(root.path("image_mean"), CLIP_MEAN), floats(root.path("image_std"), CLIP_STD),
				root.path("rescale_factor").asDouble(1.0 / 255));
	}

	private static float[] floats(JsonNode node, float[] fallback) {
		if (!node.isArray()) {
			return fallback;
		}
		float[] out = new float[node.size()];
		for (int i = 0; i < out.length; i++) {
			out[i] = (float) node.get(i).asDouble();
		}
		return out;
	}

	/** Side length smart resize rounds to: patch x merge (28). */
	public int factor() {
		return patchSize * mergeSize;
	}

	/** Values per row of pixel_values: 3 x temporal x patch x patch (1176). */
	public int patchValues() {
		return 3 * temporalPatchSize * patchSize * patchSize;
	}

	public ProcessorConfig withBudget(PixelBudget value) {
		return new ProcessorConfig(value, patchSize, mergeSize, temporalPatchSize, imageMean, imageStd, rescaleFactor);
	}

	@Override
	public float[] imageMean() {
		return imageMean.clone();
	}

	@Override
	public float[] imageStd() {
		return imageStd.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ProcessorConfig o && budget.equals(o.budget) && patchSize == o.patchSize
				&& mergeSize == o.mergeSize && temporalPatchSize == o.temporalPatchSize
				&& Arrays.equals(imageMean, o.imageMean) && Arrays.equals(imageStd, o.imageStd)
				&& rescaleFactor == o.rescaleFactor;
	}

	@Override
	public int hashCode() {
		return budget.hashCode() * 31 + Arrays.hashCode(imageMean) * 17 + Arrays.hashCode(imageStd);
	}

	@Override
	public String toString() {
		return "ProcessorConfig[budget=" + budget + ", patch=" + patchSize + ", merge=" + mergeSize + ", temporal="
				+ temporalPatchSize + ", mean=" + Arrays.toString(imageMean) + ", std=" + Arrays.toString(imageStd)
				+ ", rescale=" + rescaleFactor + "]";
	}

}
