package dev.sightline.tools.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;


import dev.sightline.tools.model.OpenAiVisionModel;
import dev.sightline.vision.batching.SchedulerLimits;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.family.VisionModels;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.qwen.LoadOptions;

/** The models {@code eval grounding} can run: an OpenAI-compatible endpoint or Qwen2.5-VL in this JVM. */
final class EvalBackends {

	static final String OPENAI = "openai";

	static final String IN_PROCESS = "in-process";

	private EvalBackends() {
	}

	/**
	 * @param budget the widest budget of the run; the endpoint gets images already resized, so this only names it
	 * @param timeoutSeconds per call
	 */
	static VisionLanguageModel openAi(String baseUrl, String modelName, String apiKey, PixelBudget budget,
			int timeoutSeconds) {
		return OpenAiVisionModel.connect(baseUrl, modelName, apiKey, Duration.ofSeconds(timeoutSeconds), 0, budget);
	}

	static VisionLanguageModel inProcess(Path checkpoint) {
		if (!Files.isRegularFile(checkpoint.resolve("config.json"))) {
			throw new IllegalArgumentException("--model for the in-process backend must be a checkpoint folder with "
					+ "config.json, got " + checkpoint);
		}
		// Through the scheduler like every other in-process caller (one request at a time here, batched elsewhere).
		return VisionModels.loadScheduled(checkpoint, LoadOptions.DEFAULTS, SchedulerLimits.DEFAULTS,
				new SchedulerMetrics(checkpoint.getFileName().toString()));
	}

}
