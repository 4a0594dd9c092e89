package dev.sightline.tools.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.constrain.JsonGrammar;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

/** The OpenAI-compatible client against a real HTTP server on loopback: wire format, key, retries, errors. */
class OpenAiVisionModelTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String ANSWER = """
			{"choices":[{"index":0,"message":{"role":"assistant","content":"click(10, 20)"},"finish_reason":"STOP"}],
			 "usage":{"prompt_tokens":321,"completion_tokens":7}}""";

	private HttpServer server;

	private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	/** Status of each successive answer; the last one repeats. */
	private volatile List<Integer> statuses = List.of(200);

	private final AtomicInteger calls = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/v1/chat/completions", this::answer);
		server.start();
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	private void answer(HttpExchange exchange) throws IOException {
		bodies.add(JSON.readTree(exchange.getRequestBody()));
		authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
		int call = calls.getAndIncrement();
		int status = statuses.get(Math.min(call, statuses.size() - 1));
		byte[] body = (status == 200 ? ANSWER : "{\"error\":{\"message\":\"overloaded " + status + "\"}}")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private VisionLanguageModel client(String apiKey, int maxRetries) {
		return OpenAiVisionModel.connect("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", "Qwen/test",
				apiKey, Duration.ofSeconds(10), maxRetries, PixelBudget.PUBLISHED);
	}

	private static byte[] png(int widthPx, int heightPx) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB), "png", out);
		return out.toByteArray();
	}

	@Test
	void sendsTextAndImagesAsChatCompletionAndReadsTheAnswer() throws IOException {
		byte[] screen = png(56, 28);
		Conversation conversation = Conversation.of(Message.system("be precise"),
				Message.user(new TextPart("click the button"), ImagePart.of(screen)),
				Message.assistant("click(1, 2)"),
				Message.user(new TextPart("again"),
						new VideoPart(List.of(new TimedFrame(png(28, 28), 0.5), new TimedFrame(png(28, 28), 1.5)))));
		List<String> streamed = new CopyOnWriteArrayList<>();

		Generation generation = client("sk-test", 0).generate(conversation, GenerationOptions.GREEDY,
				piece -> streamed.add(piece));

		assertThat(generation.text()).isEqualTo("click(10, 20)");
		assertThat(streamed).containsExactly("click(10, 20)");
		assertThat(generation.finishReason()).isEqualTo(FinishReason.STOP);
		assertThat(generation.promptTokens()).isEqualTo(321);
		assertThat(generation.imageSizes()).containsExactly(new ImageSize(56, 28));
		assertThat(authorizations).containsExactly("Bearer sk-test");
		JsonNode body = bodies.getFirst();
		assertThat(body.path("model").asText()).isEqualTo("Qwen/test");
		assertThat(body.path("max_tokens").asInt()).isEqualTo(GenerationOptions.GREEDY.maxNewTokens());
		JsonNode messages = body.path("messages");
		assertThat(messages).hasSize(4);
		assertThat(messages.path(0).path("role").asText()).isEqualTo("system");
		assertThat(messages.path(0).path("content").asText()).isEqualTo("be precise");
		JsonNode user = messages.path(1).path("content");
		assertThat(user.path(0).path("text").asText()).isEqualTo("click the button");
		assertThat(user.path(1).path("image_url").path("url").asText())
			.startsWith("data:image/png;base64,")
			.endsWith(java.util.Base64.getEncoder().encodeToString(screen));
		assertThat(messages.path(2).path("role").asText()).isEqualTo("assistant");
		// The clip's frames are images 1 and 2 of the request (image 0 is the screenshot).
		assertThat(messages.path(3).path("content")).hasSize(3);
		JsonNode clip = body.path(OpenAiVisionModel.VIDEO_FRAMES_FIELD).path(0);
		assertThat(clip.path("first_image").asInt()).isEqualTo(1);
		assertThat(clip.path("timestamps_sec").toString()).isEqualTo("[0.5,1.5]");
	}

	@Test
	void asksForTheAnswerFormatTheOptionsConstrainAsResponseFormat() throws Exception {
		String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}";
		GenerationOptions constrained = GenerationOptions.GREEDY.withFormat(JsonGrammar.fromSchema(schema));
		Conversation hi = Conversation.of(Message.user(new TextPart("hi")));
		client("", 0).generate(hi, constrained);
		client("", 0).generate(hi, GenerationOptions.GREEDY.withFormat(JsonGrammar.anyObject()));
		client("", 0).generate(hi, GenerationOptions.GREEDY);

		JsonNode format = bodies.get(0).path("response_format");
		assertThat(format.path("type").asText()).isEqualTo("json_schema");
		assertThat(format.at("/json_schema/name").asText()).isEqualTo("answer");
		assertThat(format.at("/json_schema/schema")).isEqualTo(JSON.readTree(schema));
		assertThat(bodies.get(1).at("/response_format/type").asText()).isEqualTo("json_object");
		assertThat(bodies.get(2).has("response_format")).as("free text asks for no format").isFalse();
	}

	@Test
	void sendsNoKeyToEndpointsThatNeedNone() {
		client("", 0).generate(Conversation.of(Message.user(new TextPart("hi"))), GenerationOptions.GREEDY,
				VisionLanguageModel.TokenListener.NONE);

		assertThat(authorizations).containsExactly("null");
		assertThat(bodies.getFirst().path("messages").path(0).path("content").asText()).isEqualTo("hi");
	}

	@Test
	void retriesOverloadAndServerErrorsUpToTheLimit() {
		statuses = List.of(503, 429, 200);

		Generation generation = client("", 2).generate(Conversation.of(Message.user(new TextPart("hi"))),
				GenerationOptions.GREEDY, VisionLanguageModel.TokenListener.NONE);

		assertThat(generation.text()).isEqualTo("click(10, 20)");
		assertThat(calls).hasValue(3);
	}

	@Test
	void failsWithTheEndpointsStatusAndMessageOnceRetriesAreSpent() {
		statuses = List.of(503);

		assertThatThrownBy(() -> client("", 1).generate(Conversation.of(Message.user(new TextPart("hi"))),
				GenerationOptions.GREEDY, VisionLanguageModel.TokenListener.NONE))
			.isInstanceOf(ModelCallException.class)
			.hasMessageContaining("answered HTTP 503")
			.hasMessageContaining("overloaded 503");
		assertThat(calls).hasValue(2);
	}

	@Test
	void doesNotRetryAClientError() {
		statuses = List.of(400, 200);

		assertThatThrownBy(() -> client("", 3).generate(Conversation.of(Message.user(new TextPart("hi"))),
				GenerationOptions.GREEDY, VisionLanguageModel.TokenListener.NONE))
			.isInstanceOf(ModelCallException.class)
			.hasMessageContaining("answered HTTP 400");
		assertThat(calls).hasValue(1);
	}

	@Test
	void saysWhichEndpointIsDown() {
		server.stop(0);

		assertThatThrownBy(() -> client("", 0).generate(Conversation.of(Message.user(new TextPart("hi"))),
				GenerationOptions.GREEDY, VisionLanguageModel.TokenListener.NONE))
			.isInstanceOf(ModelCallException.class)
			.hasMessageContaining("the model endpoint failed: POST http://127.0.0.1:")
			.hasMessageContaining("/v1/chat/completions: ConnectException");
	}

}
