package dev.sightline.agent.model;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sightline.agent.config.ModelSettings;
import dev.sightline.tools.model.OpenAiVisionModel;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.profile.ModelProfiles;
import dev.sightline.vision.chat.VisionLanguageModel;

/** {@code sightline.model.backend=openai}: any OpenAI-compatible endpoint (vLLM, our model server, a hosted one). */
public final class OpenAiModelBackend implements ModelBackend {

	private final ModelSettings settings;

	private final OpenAiVisionModel model;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final AtomicReference<Probe> lastProbe = new AtomicReference<>();

	public OpenAiModelBackend(ModelSettings settings) {
		this.settings = settings;
		this.model = OpenAiVisionModel.connect(settings.baseUrl(), settings.name(), settings.apiKey(),
				Duration.ofSeconds(settings.timeoutSeconds()), settings.maxRetries(), settings.pixelBudget());
	}

	@Override
	public ModelProfile profile() {
		return ModelProfiles.forServedModel(settings.profile(), settings.name());
	}

	@Override
	public ModelState state() {
		return ModelState.ready(ModelSettings.Backend.OPENAI.wireName(), settings.name() + " at " + settings.baseUrl());
	}

	/**
	 * {@code reachable}: whether {@code GET <base-url>/models} answered within 2 s, checked at most every 10 s. A
	 * detail, not readiness: a task submitted while the endpoint is down fails with the endpoint's error instead.
	 */
	@Override
	public Optional<EndpointProbe> probe() {
		Probe last = lastProbe.get();
		if (last != null && System.nanoTime() - last.atNanos() < TimeUnit.SECONDS.toNanos(10)) {
			return Optional.of(last.result());
		}
		String url = settings.baseUrl().replaceAll("/+$", "") + "/models";
		EndpointProbe result;
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET();
			if (!settings.apiKey().isBlank()) {
				request.header("Authorization", "Bearer " + settings.apiKey());
			}
			int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
			result = new EndpointProbe(status < 500, "GET " + url + " answered " + status);
		}
		catch (IOException | RuntimeException e) {
			result = new EndpointProbe(false, "GET " + url + " failed: " + e.getClass().getSimpleName());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			result = new EndpointProbe(false, "interrupted");
		}
		lastProbe.set(new Probe(System.nanoTime(), result));
		return Optional.of(result);
	}

	private record Probe(long atNanos, EndpointProbe result) {
	}

	@Override
	public VisionLanguageModel model() {
		return model;
	}

}
