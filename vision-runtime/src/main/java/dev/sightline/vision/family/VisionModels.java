package dev.sightline.vision.family;

import java.nio.file.Path;

import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenVl;
import dev.sightline.vision.qwen3.Qwen3Vl;

/**
 * Loads a checkpoint directory as the model its {@code config.json} names ({@link ModelFamily#detect}): the one
 * switch between families. Every model returned is also a {@link dev.sightline.vision.server.BatchDecoder}, so the
 * model server batches any of them.
 */
public final class VisionModels {

	private VisionModels() {
	}

	/** @throws dev.sightline.vision.weights.CheckpointException for a model_type this runtime does not implement */
	public static VisionLanguageModel load(Path directory, LoadOptions options) {
		return load(ModelFamily.detect(directory), directory, options);
	}

	public static VisionLanguageModel load(ModelFamily family, Path directory, LoadOptions options) {
		return switch (family) {
			case QWEN2_5_VL -> QwenVl.load(directory, options);
			case QWEN3_VL -> Qwen3Vl.load(directory, options);
		};
	}

}
