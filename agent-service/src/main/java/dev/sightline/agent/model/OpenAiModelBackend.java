package dev.sightline.agent.model;

import java.time.Duration;

import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import dev.sightline.agent.config.ModelSettings;
import dev.sightline.tools.model.OpenAiVisionModel;
import dev.sightline.vision.chat.VisionLanguageModel;

/** {@code sightline.model.backend=openai}: any OpenAI-compatible endpoint (vLLM, our model server, a hosted one). */
public final class OpenAiModelBackend implements ModelBackend {

	private final ModelSettings settings;

	private final OpenAiVisionModel model;

	public OpenAiModelBackend(ModelSettings settings) {
		this.settings = settings;
		OpenAiChatModel chat = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(settings.baseUrl())
				// The SDK refuses an empty key; local servers ignore whatever is sent.
				.apiKey(settings.apiKey().isBlank() ? "not-needed" : settings.apiKey())
				.model(settings.name())
				.timeout(Duration.ofSeconds(settings.timeoutSeconds()))
				.maxRetries(settings.maxRetries())
				.build())
			.build();
		this.model = new OpenAiVisionModel(chat, settings.name(), settings.pixelBudget());
	}

	@Override
	public ModelState state() {
		return ModelState.ready(ModelSettings.OPENAI, settings.name() + " at " + settings.baseUrl());
	}

	@Override
	public VisionLanguageModel model() {
		return model;
	}

}
