package dev.sightline.tools.model;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * A Qwen2.5-VL behind an OpenAI-compatible endpoint, through Spring AI's chat model. Images go as base64 PNG data
 * URLs of the already-resized screenshot, so the server's own resize is an identity and coordinates refer to the
 * image the agent holds.
 */
public final class OpenAiVisionModel implements VisionLanguageModel {

	/** Reads image headers only: the size of each image sent, without decoding it. */
	private static final ImageDecoder HEADERS = new ImageDecoder();

	/**
	 * Request body extension carrying video clips: a list of {@code {"first_image": k, "timestamps_sec": [..]}}, each
	 * naming the request's image parts (counted over all messages in order) from index k that are the frames of one
	 * clip, and their capture times. Servers that ignore it still get every frame as an image.
	 */
	public static final String VIDEO_FRAMES_FIELD = "sightline_video_frames";

	private final ChatModel chat;

	private final String modelName;

	private final PixelBudget budget;

	public OpenAiVisionModel(ChatModel chat, String modelName, PixelBudget budget) {
		this.chat = chat;
		this.modelName = modelName;
		this.budget = budget;
	}

	/**
	 * A client for the endpoint at {@code baseUrl} (ending in {@code /v1}), built from Spring AI's OpenAI chat model
	 * without a Spring context.
	 * @param apiKey the endpoint's key; blank for local servers that need none
	 * @param timeout per request
	 * @param maxRetries retries of a failed request, 0 for none
	 */
	public static OpenAiVisionModel connect(String baseUrl, String modelName, String apiKey, Duration timeout,
			int maxRetries, PixelBudget budget) {
		OpenAiChatModel chat = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(baseUrl)
				// The SDK refuses an empty key; local servers ignore whatever is sent.
				.apiKey(apiKey.isBlank() ? "not-needed" : apiKey)
				.model(modelName)
				.timeout(timeout)
				.maxRetries(maxRetries)
				.build())
			.build();
		return new OpenAiVisionModel(chat, modelName, budget);
	}

	@Override
	public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
		List<Message> messages = new ArrayList<>();
		List<ImageSize> imageSizes = new ArrayList<>();
		List<Map<String, Object>> videos = new ArrayList<>();
		int[] mediaCount = { 0 };
		for (dev.sightline.vision.chat.Message message : conversation.messages()) {
			messages.add(toSpring(message, imageSizes, videos, mediaCount));
		}
		OpenAiChatOptions.Builder request = OpenAiChatOptions.builder()
			.model(modelName)
			.temperature(options.temperature())
			.maxTokens(options.maxNewTokens());
		if (options.topP() < 1) {
			request.topP(options.topP());
		}
		if (!options.stop().isEmpty()) {
			request.stop(options.stop());
		}
		if (!videos.isEmpty()) {
			request.extraBody(Map.of(VIDEO_FRAMES_FIELD, videos));
		}
		long start = System.nanoTime();
		ChatResponse response;
		try {
			response = chat.call(new Prompt(messages, request.build()));
		}
		catch (RuntimeException e) {
			throw new ModelCallException("the model endpoint failed: " + describe(e), e);
		}
		double elapsedMs = (System.nanoTime() - start) / 1e6;
		if (response == null || response.getResult() == null) {
			throw new ModelCallException("the model endpoint returned no choice", new IllegalStateException());
		}
		String text = response.getResult().getOutput().getText();
		text = text == null ? "" : text;
		listener.onText(text);
		String finish = response.getResult().getMetadata().getFinishReason();
		Usage usage = response.getMetadata().getUsage();
		int promptTokens = usage == null || usage.getPromptTokens() == null ? 0 : usage.getPromptTokens();
		int completionTokens = usage == null || usage.getCompletionTokens() == null ? 0 : usage.getCompletionTokens();
		return new Generation(text, List.of(), finish == null ? "stop" : finish.toLowerCase(java.util.Locale.ROOT),
				promptTokens, imageSizes, 0, elapsedMs, 0, completionTokens);
	}

	private static Message toSpring(dev.sightline.vision.chat.Message message, List<ImageSize> imageSizes,
			List<Map<String, Object>> videos, int[] mediaCount) {
		StringBuilder text = new StringBuilder();
		List<Media> media = new ArrayList<>();
		for (Part part : message.parts()) {
			switch (part) {
				case TextPart t -> text.append(t.text());
				case ImagePart image -> {
					// Pixels the agent holds become PNG here, at the process boundary, and nowhere before.
					byte[] encoded = image.encoded();
					imageSizes.add(image.pixels().map(RgbImage::size).orElseGet(() -> sizeOf(encoded)));
					media.add(Media.builder().mimeType(mimeOf(encoded)).data(encoded).build());
					mediaCount[0]++;
				}
				case VideoPart video -> {
					// Spring AI has no video part: frames travel as images, and VIDEO_FRAMES_FIELD says which
					// images form a clip and when each was captured, so our model server rebuilds the VideoPart.
					videos.add(Map.of("first_image", mediaCount[0], "timestamps_sec",
							video.frames().stream().map(TimedFrame::timestampSec).toList()));
					for (TimedFrame frame : video.frames()) {
						media.add(Media.builder().mimeType(mimeOf(frame.encoded())).data(frame.encoded()).build());
						mediaCount[0]++;
					}
				}
			}
		}
		return switch (message.role()) {
			case SYSTEM -> new SystemMessage(text.toString());
			case ASSISTANT -> new AssistantMessage(text.toString());
			case USER -> UserMessage.builder().text(text.toString()).media(media).build();
		};
	}

	/** PNG unless the bytes start with JPEG's SOI marker. */
	private static MimeType mimeOf(byte[] encoded) {
		boolean jpeg = encoded.length > 2 && (encoded[0] & 0xff) == 0xff && (encoded[1] & 0xff) == 0xd8;
		return jpeg ? MimeTypeUtils.IMAGE_JPEG : MimeTypeUtils.IMAGE_PNG;
	}

	static ImageSize sizeOf(byte[] encoded) {
		return HEADERS.probe(encoded);
	}

	private static String describe(Throwable e) {
		StringBuilder text = new StringBuilder();
		for (Throwable t = e; t != null && text.length() < 600; t = t.getCause()) {
			if (!text.isEmpty()) {
				text.append(": ");
			}
			text.append(t.getClass().getSimpleName());
			if (t.getMessage() != null) {
				text.append(' ').append(t.getMessage());
			}
		}
		return text.toString();
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
