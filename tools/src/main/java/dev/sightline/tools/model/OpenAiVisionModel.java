package dev.sightline.tools.model;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.constrain.JsonGrammar;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * A vision-language model behind an OpenAI-compatible endpoint ({@code POST <base-url>/chat/completions}), on the
 * JDK's HttpClient and Jackson: the one model client of the agent service, the eval harness and the Playwright test
 * library, small on purpose so that the test library pulls no Spring, OpenAI SDK or OkHttp into users' test
 * classpaths. Images go as base64 data URLs of the already-resized screenshot, so the server's own resize is an
 * identity and coordinates refer to the image the caller holds.
 */
public final class OpenAiVisionModel implements VisionLanguageModel {

	/** Reads image headers only: the size of each image sent, without decoding it. */
	private static final ImageDecoder HEADERS = new ImageDecoder();

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Longest error body quoted in an exception message. */
	private static final int MAX_QUOTED_BODY_CHARS = 500;

	/**
	 * Request body extension carrying video clips: a list of {@code {"first_image": k, "timestamps_sec": [..]}}, each
	 * naming the request's image parts (counted over all messages in order) from index k that are the frames of one
	 * clip, and their capture times. Servers that ignore it still get every frame as an image.
	 */
	public static final String VIDEO_FRAMES_FIELD = "sightline_video_frames";

	private final HttpClient http;

	private final URI completions;

	private final String modelName;

	private final String apiKey;

	private final Duration timeout;

	private final int maxRetries;

	private final PixelBudget budget;

	private OpenAiVisionModel(URI completions, String modelName, String apiKey, Duration timeout, int maxRetries,
			PixelBudget budget) {
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.completions = completions;
		this.modelName = modelName;
		this.apiKey = apiKey;
		this.timeout = timeout;
		this.maxRetries = maxRetries;
		this.budget = budget;
	}

	/**
	 * A client for the endpoint at {@code baseUrl} (ending in {@code /v1}); no request is made until the first call.
	 * @param apiKey the endpoint's key, sent as a bearer token; blank for local servers that need none
	 * @param timeout per request
	 * @param maxRetries retries of a request that failed in transport or with 429/5xx, 0 for none
	 */
	public static OpenAiVisionModel connect(String baseUrl, String modelName, String apiKey, Duration timeout,
			int maxRetries, PixelBudget budget) {
		if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
			throw new IllegalArgumentException("model endpoint must be an http(s) URL ending in /v1, got " + baseUrl);
		}
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
		}
		URI completions = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
		return new OpenAiVisionModel(completions, modelName, apiKey, timeout, maxRetries, budget);
	}

	@Override
	public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
		List<ImageSize> imageSizes = new ArrayList<>();
		ObjectNode body = requestBody(conversation, options, imageSizes);
		long start = System.nanoTime();
		JsonNode response = post(body);
		double elapsedMs = (System.nanoTime() - start) / 1e6;
		JsonNode choice = response.path("choices").path(0);
		if (choice.isMissingNode()) {
			throw new ModelCallException("the model endpoint returned no choice: " + quote(response.toString()),
					new IllegalStateException());
		}
		String text = contentText(choice.path("message").path("content"));
		listener.onText(text);
		FinishReason finish = FinishReason.fromWire(choice.path("finish_reason").asText(null));
		JsonNode usage = response.path("usage");
		return new Generation(text, List.of(), finish,
				usage.path("prompt_tokens").asInt(0), imageSizes, 0, elapsedMs, 0,
				usage.path("completion_tokens").asInt(0));
	}

	ObjectNode requestBody(Conversation conversation, GenerationOptions options, List<ImageSize> imageSizes) {
		ObjectNode body = JSON.createObjectNode();
		body.put("model", modelName);
		ArrayNode messages = body.putArray("messages");
		ArrayNode videos = JSON.createArrayNode();
		int[] mediaCount = { 0 };
		for (Message message : conversation.messages()) {
			messages.add(toJson(message, imageSizes, videos, mediaCount));
		}
		body.put("temperature", options.temperature());
		body.put("max_tokens", options.maxNewTokens());
		if (options.topP() < 1) {
			body.put("top_p", options.topP());
		}
		if (!options.stop().isEmpty()) {
			ArrayNode stop = body.putArray("stop");
			options.stop().forEach(stop::add);
		}
		if (!videos.isEmpty()) {
			body.set(VIDEO_FRAMES_FIELD, videos);
		}
		options.controls().format().ifPresent(grammar -> body.set("response_format", responseFormat(grammar)));
		return body;
	}

	/**
	 * The answer format the in-process model enforces with a grammar, asked of the endpoint as OpenAI's
	 * {@code response_format}: a server that supports it (ours, vLLM, OpenAI) enforces it; one that ignores it
	 * answers freely, which is why callers validate the answer anyway.
	 */
	private static ObjectNode responseFormat(JsonGrammar grammar) {
		ObjectNode format = JSON.createObjectNode();
		switch (grammar.kind()) {
			case ANY_OBJECT -> format.put("type", "json_object");
			case SCHEMA -> {
				format.put("type", "json_schema");
				ObjectNode schema = format.putObject("json_schema").put("name", "answer");
				try {
					schema.set("schema", JSON.readTree(grammar.schemaJson().orElseThrow()));
				}
				catch (IOException e) {
					throw new IllegalStateException("a compiled schema is JSON", e);
				}
			}
			case FUNCTION_CALL -> throw new IllegalArgumentException(
					"a forced function call is asked for with tools and tool_choice, not as an answer format");
		}
		return format;
	}

	private static ObjectNode toJson(Message message, List<ImageSize> imageSizes, ArrayNode videos,
			int[] mediaCount) {
		ObjectNode json = JSON.createObjectNode();
		json.put("role", message.role().name().toLowerCase(Locale.ROOT));
		StringBuilder text = new StringBuilder();
		List<byte[]> media = new ArrayList<>();
		for (Part part : message.parts()) {
			switch (part) {
				case TextPart t -> text.append(t.text());
				case ImagePart image -> {
					// Pixels the agent holds become PNG here, at the process boundary, and nowhere before.
					byte[] encoded = image.encoded();
					imageSizes.add(image.pixels().map(RgbImage::size).orElseGet(() -> sizeOf(encoded)));
					media.add(encoded);
					mediaCount[0]++;
				}
				case VideoPart video -> {
					// The chat-completions API has no video part: frames travel as images, and VIDEO_FRAMES_FIELD
					// says which images form a clip and when each was captured, so our model server rebuilds it.
					videos.addPOJO(Map.of("first_image", mediaCount[0], "timestamps_sec",
							video.frames().stream().map(TimedFrame::timestampSec).toList()));
					for (TimedFrame frame : video.frames()) {
						media.add(frame.encoded());
						mediaCount[0]++;
					}
				}
			}
		}
		if (media.isEmpty()) {
			json.put("content", text.toString());
			return json;
		}
		// Text first, then the images, as Spring AI's client sent them (the prompts were tuned on that order).
		ArrayNode content = json.putArray("content");
		if (!text.isEmpty()) {
			content.addObject().put("type", "text").put("text", text.toString());
		}
		for (byte[] encoded : media) {
			content.addObject()
				.put("type", "image_url")
				.putObject("image_url")
				.put("url", "data:" + mimeOf(encoded) + ";base64," + Base64.getEncoder().encodeToString(encoded));
		}
		return json;
	}

	private JsonNode post(ObjectNode body) {
		byte[] payload;
		try {
			payload = JSON.writeValueAsBytes(body);
		}
		catch (IOException e) {
			throw new ModelCallException("the request to the model endpoint could not be written: " + e.getMessage(),
					e);
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(completions)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(payload));
		if (!apiKey.isBlank()) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		for (int attempt = 0;; attempt++) {
			boolean last = attempt >= maxRetries;
			HttpResponse<byte[]> response;
			try {
				response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (HttpTimeoutException e) {
				if (last) {
					throw new ModelCallException("the model endpoint " + completions + " did not answer within "
							+ timeout.toMillis() + " ms", e);
				}
				continue;
			}
			catch (IOException e) {
				if (last) {
					throw new ModelCallException("the model endpoint failed: POST " + completions + ": "
							+ e.getClass().getSimpleName() + " " + e.getMessage(), e);
				}
				continue;
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ModelCallException("interrupted while waiting for the model endpoint", e);
			}
			int status = response.statusCode();
			String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
			if (status / 100 == 2) {
				try {
					return JSON.readTree(response.body());
				}
				catch (IOException e) {
					throw new ModelCallException("the model endpoint answered " + status + " with a body that is not JSON: "
							+ quote(text), e);
				}
			}
			boolean retryable = status == 429 || status >= 500;
			if (last || !retryable) {
				throw new ModelCallException("the model endpoint " + completions + " answered HTTP " + status + ": "
						+ quote(text), new IllegalStateException("HTTP " + status));
			}
		}
	}

	/** The message content: a string, or (some servers) a list of text parts. */
	private static String contentText(JsonNode content) {
		if (content.isTextual()) {
			return content.asText();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(part.path("text").asText(""));
		}
		return text.toString();
	}

	private static String quote(String body) {
		return body.length() <= MAX_QUOTED_BODY_CHARS ? body : body.substring(0, MAX_QUOTED_BODY_CHARS) + "…";
	}

	/** PNG unless the bytes start with JPEG's SOI marker. */
	private static String mimeOf(byte[] encoded) {
		boolean jpeg = encoded.length > 2 && (encoded[0] & 0xff) == 0xff && (encoded[1] & 0xff) == 0xd8;
		return jpeg ? "image/jpeg" : "image/png";
	}

	static ImageSize sizeOf(byte[] encoded) {
		return HEADERS.probe(encoded);
	}

	@Override
	public PixelBudget pixelBudget() {
		return budget;
	}

	@Override
	public String name() {
		return modelName;
	}

}
