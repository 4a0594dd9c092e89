package dev.sightline.modelserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenVl;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end with the real runtime on the tiny golden checkpoint: HTTP answers exactly what a direct call does. */
class QwenVlModelServerIT {

	private static final Path TINY_A = Path.of("../vision-runtime/src/test/resources/golden/qwen2_5_vl/models/tiny-a");

	private static final int MAX_TOKENS = 12;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static QwenVl model;

	private static ModelServer server;

	private static byte[] png;

	@BeforeAll
	static void start() throws Exception {
		model = QwenVl.load(TINY_A, LoadOptions.DEFAULTS);
		String name = ModelLocator.defaultName(TINY_A.toString(), TINY_A);
		server = ModelServer.start(ServerOptions.defaults(TINY_A.toString()).withPort(0), model, name);
		png = ModelServerIT.png(56, 56);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
		if (model != null) {
			model.close();
		}
	}

	@Test
	void servesTheModelUnderItsCheckpointFolderName() {
		assertThat(server.modelName()).isEqualTo("tiny-a");
	}

	@Test
	void modelsEndpointSaysWhatTheModelRunsOn() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode runtime = JSON.readTree(response.body()).at("/data/0/sightline");
		assertThat(runtime.path("engine").asString()).isEqualTo("PyTorch");
		assertThat(runtime.path("libtorch_version").asString()).isEqualTo("2.7.1");
		assertThat(runtime.path("libtorch_flavour").asString()).isEqualTo("cpu");
		assertThat(runtime.path("device").asString()).isEqualTo("cpu");
		assertThat(runtime.path("device_name").asString()).isNotBlank();
		assertThat(runtime.path("dtype_policy").asString()).isEqualTo("fp32");
		assertThat(runtime.at("/dtypes/vision").asString()).isEqualTo("fp32");
		assertThat(runtime.at("/dtypes/text").asString()).isEqualTo("fp32");
		assertThat(runtime.path("weight_bytes").asLong()).isEqualTo(model.model().weightBytes());
	}

	@Test
	void chatCompletionOverHttpReturnsTheTokensOfADirectCall() throws Exception {
		Generation direct = model.generate(Conversation.of(Message.user(ImagePart.of(png),
				new TextPart("Where is the button?"))), GenerationOptions.GREEDY.withMaxNewTokens(MAX_TOKENS));

		String body = """
				{"model": "tiny-a", "max_tokens": %d, "temperature": 0, "return_token_ids": true,
				 "messages": [{"role": "user", "content": [
				   {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}},
				   {"type": "text", "text": "Where is the button?"}]}]}"""
			.formatted(MAX_TOKENS, Base64.getEncoder().encodeToString(png));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode completion = JSON.readTree(response.body());
		List<Integer> ids = new ArrayList<>();
		completion.at("/choices/0/token_ids").forEach(id -> ids.add(id.asInt()));
		assertThat(ids).isNotEmpty().isEqualTo(direct.tokenIds());
		assertThat(completion.at("/choices/0/message/content").asString()).isEqualTo(direct.text());
		assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(direct.promptTokens());
		assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(direct.tokenIds().size());
		assertThat(completion.at("/choices/0/finish_reason").asString())
			.isEqualTo(direct.finishReason().wireName());
	}

	@Test
	void streamingThroughSpringAiYieldsTheSameText() {
		Generation direct = model.generate(Conversation.of(Message.user(new TextPart("Describe the screen."))),
				GenerationOptions.GREEDY.withMaxNewTokens(MAX_TOKENS));
		OpenAiChatModel chat = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(server.baseUrl().toString())
				.apiKey("not-needed")
				.model("tiny-a")
				.temperature(0.0)
				.maxTokens(MAX_TOKENS)
				.maxRetries(0)
				.build())
			.build();

		List<ChatResponse> chunks = chat.stream(new Prompt(new UserMessage("Describe the screen.")))
			.collectList()
			.block(Duration.ofSeconds(60));
		StringBuilder streamed = new StringBuilder();
		for (ChatResponse chunk : chunks) {
			if (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null) {
				streamed.append(chunk.getResult().getOutput().getText());
			}
		}
		String called = chat.call(new Prompt(new UserMessage("Describe the screen."))).getResult().getOutput().getText();

		assertThat(streamed.toString()).isEqualTo(direct.text());
		assertThat(called).isEqualTo(direct.text());
	}

	@Test
	void concurrentRequestsAreDecodedInOneBatchAndEachGetsItsDirectAnswer() throws Exception {
		List<String> questions = List.of("Where is the button?", "Describe the screen.", "Hi", "Click OK",
				"What is on the left?", "Scroll down please");
		List<Generation> direct = new ArrayList<>();
		for (String question : questions) {
			direct.add(model.generate(Conversation.of(Message.user(new TextPart(question))),
					GenerationOptions.GREEDY.withMaxNewTokens(MAX_TOKENS)));
		}
		assertThat(server.scheduler().maxBatch()).isGreaterThan(1);
		HttpClient http = HttpClient.newHttpClient();
		List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (String question : questions) {
			String body = JSON.writeValueAsString(java.util.Map.of("model", "tiny-a", "max_tokens", MAX_TOKENS,
					"temperature", 0, "return_token_ids", true, "messages",
					List.of(java.util.Map.of("role", "user", "content", question))));
			responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < questions.size(); i++) {
			HttpResponse<String> response = responses.get(i).get();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode completion = JSON.readTree(response.body());
			List<Integer> ids = new ArrayList<>();
			completion.at("/choices/0/token_ids").forEach(id -> ids.add(id.asInt()));
			assertThat(ids).as(questions.get(i)).isEqualTo(direct.get(i).tokenIds());
			assertThat(completion.at("/choices/0/message/content").asString()).isEqualTo(direct.get(i).text());
		}
		String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		assertThat(metrics).containsPattern("sightline_model_batch_size_max\\{[^}]*\\} [2-9]");
	}

	@Test
	void aRepeatedPromptIsServedFromThePrefixCacheWithTheSameAnswerAndCountedInMetrics() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String question = "Step 1 of a long task: " + "the page shows a form with a name, an email and a button. "
			.repeat(4) + "What next?";
		String body = JSON.writeValueAsString(java.util.Map.of("model", "tiny-a", "max_tokens", MAX_TOKENS,
				"temperature", 0, "messages", List.of(java.util.Map.of("role", "user", "content", question))));
		HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		model.setPrefixCacheBytes(16L << 20);
		try {
			String first = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
				.at("/choices/0/message/content").asText();
			long hitsBefore = model.prefixCacheStats().hitTokens();
			JsonNode second = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
			assertThat(second.at("/choices/0/message/content").asText()).isEqualTo(first);
			int promptTokens = second.at("/usage/prompt_tokens").asInt();
			assertThat(model.prefixCacheStats().hitTokens() - hitsBefore)
				.isEqualTo((promptTokens - 1) / 32 * 32L).isPositive();
			String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
				.build(), HttpResponse.BodyHandlers.ofString()).body();
			assertThat(metrics).containsPattern("sightline_model_prefix_cache_hit_tokens_total\\{[^}]*\\} [1-9]")
				.contains("sightline_model_prefix_cache_evictions_total");
		}
		finally {
			model.setPrefixCacheBytes(0);
		}
	}

}
