package dev.sightline.tools.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.sightline.vision.batching.SchedulerLimits;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.family.VisionModels;
import dev.sightline.vision.qwen.LoadOptions;

/**
 * A checkpoint in the test JVM instead of an endpoint, for a {@link SightlineConfig#model()} override:
 * {@code return InProcessModel.load(Path.of("/models/Qwen2.5-VL-3B-Instruct"));}. The model sits behind its
 * continuous-batching scheduler, so tests running in parallel share its decode passes rather than queueing for
 * it; a test waits up to 60 s for a place when 64 others are already waiting.
 */
public final class InProcessModel {

	private InProcessModel() {
	}

	/** Loads the checkpoint folder (config.json, *.safetensors, tokenizer.json) on the default device and dtype. */
	public static VisionLanguageModel load(Path checkpoint) {
		if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
			throw new IllegalArgumentException(
					"an in-process model needs a checkpoint folder with config.json, got " + checkpoint);
		}
		return VisionModels.loadScheduled(checkpoint, LoadOptions.DEFAULTS, SchedulerLimits.DEFAULTS,
				new SchedulerMetrics(checkpoint.getFileName().toString()));
	}

}
