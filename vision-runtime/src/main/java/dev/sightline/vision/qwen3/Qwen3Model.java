package dev.sightline.vision.qwen3;

import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDManager;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.LoadedModel;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.vision.Qwen3VisionTower;
import dev.sightline.vision.qwen3.vision.VisionFeatures;
import dev.sightline.vision.weights.Checkpoint;
import dev.sightline.vision.weights.DtypePolicy;

/**
 * A loaded Qwen3-VL (dense): config, weights on the device, vision tower and Qwen3 decoder (QWEN3_VL spec §1). The
 * checkpoint (one file or shards, either key layout: the shared {@link Checkpoint} loader) is validated against the
 * config before any tensor is read; the dtype and device policy are the runtime's {@link LoadOptions}: the same
 * per-part {@link DtypePolicy} as Qwen2.5-VL (vision tower and decoder each get their {@code Precision}).
 */
public final class Qwen3Model extends LoadedModel {

	private final Qwen3Config config;

	private final Qwen3VisionTower vision;

	private Qwen3Model(Qwen3Config config, LoadedWeights loaded, Qwen3Tensors.Loaded weights) {
		super(loaded, config.text(), weights.text(), config.tokens(), config.vision().spatialMergeSize());
		this.config = config;
		this.vision = new Qwen3VisionTower(config.vision(), weights.vision(), loaded.policy().vision());
	}

	public static Qwen3Model load(Path directory, LoadOptions options) {
		Qwen3Config config = Qwen3Config.read(directory.resolve("config.json"));
		return load(directory, options, Qwen3Tensors.expected(config), Qwen3Tensors.ignored(config),
				loaded -> new Qwen3Model(config, loaded, Qwen3Tensors.load(config, loaded.weights())));
	}

	public Qwen3Config config() {
		return config;
	}

	public Qwen3VisionTower vision() {
		return vision;
	}

	/** Vision and DeepStack features of the images (or videos) of a request, or null when there are none. */
	public VisionFeatures encodeVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		return withPatchRows(request, pixelValues, grids, config.vision().patchRowWidth(),
				(rows, items) -> vision.encode(request, rows, items));
	}

	/** A vision encode to run block by block, or null when there are no images (or videos). */
	public Qwen3VisionTower.Encoding beginVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		return withPatchRows(request, pixelValues, grids, config.vision().patchRowWidth(),
				(rows, items) -> vision.begin(request, rows, items));
	}

	@Override
	public Qwen3Sequence newSequence(int capacity) {
		return new Qwen3Sequence(this, capacity);
	}

}
