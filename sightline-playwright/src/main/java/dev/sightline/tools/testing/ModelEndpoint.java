package dev.sightline.tools.testing;

import java.time.Duration;

import dev.sightline.tools.model.OpenAiVisionModel;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * An OpenAI-compatible endpoint serving Qwen2.5-VL (Sightline's model server, vLLM, a hosted one). Plain values
 * only, so a test configuration needs nothing but this library.
 *
 * @param baseUrl base URL ending in {@code /v1}
 * @param modelName the model name sent with each request; default {@code Qwen/Qwen2.5-VL-3B-Instruct}
 * @param apiKey the endpoint's key; default empty (local servers)
 * @param timeoutMs per request; default 120 000 ms
 * @param minPixels fewest pixels a screenshot is smart-resized to before sending; default 3 136 (the published
 * Qwen2.5-VL budget)
 * @param maxPixels most pixels a screenshot is smart-resized to before sending; default 12 845 056
 */
public record ModelEndpoint(String baseUrl, String modelName, String apiKey, long timeoutMs, long minPixels,
		long maxPixels) {

	public static final String DEFAULT_MODEL_NAME = "Qwen/Qwen2.5-VL-3B-Instruct";

	public ModelEndpoint {
		if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
			throw new IllegalArgumentException("model endpoint must be an http(s) URL ending in /v1, got " + baseUrl);
		}
		if (modelName.isBlank()) {
			throw new IllegalArgumentException("model name must not be blank");
		}
		if (timeoutMs < 1) {
			throw new IllegalArgumentException("timeoutMs must be at least 1, got " + timeoutMs);
		}
		// Checks 1 <= minPixels <= maxPixels with the runtime's own message.
		new PixelBudget(minPixels, maxPixels);
	}

	public static ModelEndpoint of(String baseUrl) {
		return new ModelEndpoint(baseUrl, DEFAULT_MODEL_NAME, "", 120_000, PixelBudget.PUBLISHED.minPixels(),
				PixelBudget.PUBLISHED.maxPixels());
	}

	public ModelEndpoint withModelName(String value) {
		return new ModelEndpoint(baseUrl, value, apiKey, timeoutMs, minPixels, maxPixels);
	}

	public ModelEndpoint withApiKey(String value) {
		return new ModelEndpoint(baseUrl, modelName, value, timeoutMs, minPixels, maxPixels);
	}

	public ModelEndpoint withTimeoutMs(long value) {
		return new ModelEndpoint(baseUrl, modelName, apiKey, value, minPixels, maxPixels);
	}

	public ModelEndpoint withPixelBudget(long minPixelsValue, long maxPixelsValue) {
		return new ModelEndpoint(baseUrl, modelName, apiKey, timeoutMs, minPixelsValue, maxPixelsValue);
	}

	/** A client for this endpoint; no request is made until a step needs the model. */
	VisionLanguageModel connect() {
		// No retries: a test step should fail at once with the endpoint's error, not after minutes.
		return OpenAiVisionModel.connect(baseUrl, modelName, apiKey, Duration.ofMillis(timeoutMs), 0,
				new PixelBudget(minPixels, maxPixels));
	}

}
