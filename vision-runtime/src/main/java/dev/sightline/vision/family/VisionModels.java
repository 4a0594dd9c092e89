package dev.sightline.vision.family;

import java.nio.file.Path;

import dev.sightline.vision.batching.ScheduledModel;
import dev.sightline.vision.batching.SchedulerLimits;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.InProcessVl;
import dev.sightline.vision.qwen.QwenVl;
import dev.sightline.vision.qwen3.Qwen3Vl;

/**
 * Loads a checkpoint directory as the model its {@code config.json} names ({@link ModelFamily#detect}): the one
 * switch between families. Every model {@link #load} returns is also a
 * {@link dev.sightline.vision.batching.BatchDecoder}, for a scheduler to drive; callers other than the model server
 * take {@link #loadScheduled}, whose model is reached only through its scheduler.
 */
public final class VisionModels {

	private VisionModels() {
	}

	/** @throws dev.sightline.vision.weights.CheckpointException for a model_type this runtime does not implement */
	public static VisionLanguageModel load(Path directory, LoadOptions options) {
		return load(ModelFamily.detect(directory), directory, options);
	}

	/**
	 * The checkpoint behind its one {@link dev.sightline.vision.batching.Scheduler}: concurrent {@code generate}
	 * calls share decode passes. Closing it stops the scheduler and frees the model.
	 */
	public static ScheduledModel loadScheduled(Path directory, LoadOptions options, SchedulerLimits limits,
			SchedulerMetrics metrics) {
		VisionLanguageModel model = load(directory, options);
		if (model instanceof InProcessVl<?> local) {
			metrics.bindPrefixCache(local::prefixCacheStats);
		}
		try {
			return ScheduledModel.start(model, limits, metrics);
		}
		catch (RuntimeException e) {
			model.close();
			throw e;
		}
	}

	public static VisionLanguageModel load(ModelFamily family, Path directory, LoadOptions options) {
		return switch (family) {
			case QWEN2_5_VL -> QwenVl.load(directory, options);
			case QWEN3_VL -> Qwen3Vl.load(directory, options);
		};
	}

}
