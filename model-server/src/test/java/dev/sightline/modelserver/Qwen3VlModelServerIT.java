package dev.sightline.modelserver;

import dev.sightline.vision.batching.BatchDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.family.VisionModels;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen3.Qwen3Vl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model server with a Qwen3-VL checkpoint (the golden tiny-a), loaded the way {@code serve-model} loads it (the
 * family from config.json): over the same OpenAI API, alone and batched, each answer equals a direct call.
 */
class Qwen3VlModelServerIT {

	private static final Path TINY_A = Path.of("../vision-runtime/src/test/resources/golden/qwen3_vl/models/tiny-a");

	private static final int MAX_TOKENS = 10;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static VisionLanguageModel model;

	private static ModelServer server;

	private static byte[] png;

	@BeforeAll
	static void start() throws Exception {
		model = VisionModels.load(TINY_A, LoadOptions.DEFAULTS);
		server = ModelServer.start(ServerOptions.defaults(TINY_A.toString()).withPort(0), model,
				ModelLocator.defaultName(TINY_A.toString(), TINY_A));
		png = Files.readAllBytes(Path.of("../vision-runtime/src/test/resources/golden/qwen3_vl/cases/lm_a_image/image_0.png"));
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
	void theCheckpointLoadsAsQwen3AndBatches() {
		assertThat(model).isInstanceOf(Qwen3Vl.class).isInstanceOf(BatchDecoder.class);
		assertThat(server.scheduler().maxBatch()).isGreaterThan(1);
	}

	@Test
	void modelsEndpointSaysWhatTheQwen3ModelRunsOn() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode runtime = JSON.readTree(response.body()).at("/data/0/sightline");
		assertThat(runtime.path("engine").asString()).isEqualTo("PyTorch");
		assertThat(runtime.path("device").asString()).isEqualTo("cpu");
		assertThat(runtime.path("dtype_policy").asString()).isEqualTo("fp32");
		assertThat(runtime.at("/dtypes/vision").asString()).isEqualTo("fp32");
		assertThat(runtime.at("/dtypes/text").asString()).isEqualTo("fp32");
		assertThat(runtime.path("weight_bytes").asLong()).isEqualTo(((Qwen3Vl) model).model().weightBytes());
	}

	@Test
	void concurrentImageAndTextRequestsEachGetTheirDirectAnswer() throws Exception {
		List<String> questions = List.of("Where is the button?", "Describe the screen.", "Hi", "Click OK");
		List<Generation> direct = new ArrayList<>();
		for (int i = 0; i < questions.size(); i++) {
			List<Part> parts = new ArrayList<>();
			if (i % 2 == 0) {
				parts.add(ImagePart.of(png));
			}
			parts.add(new TextPart(questions.get(i)));
			direct.add(model.generate(Conversation.of(Message.user(parts.toArray(Part[]::new))),
					GenerationOptions.GREEDY.withMaxNewTokens(MAX_TOKENS)));
		}
		HttpClient http = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < questions.size(); i++) {
			List<Map<String, Object>> content = new ArrayList<>();
			if (i % 2 == 0) {
				content.add(Map.of("type", "image_url", "image_url",
						Map.of("url", "data:image/png;base64," + Base64.getEncoder().encodeToString(png))));
			}
			content.add(Map.of("type", "text", "text", questions.get(i)));
			String body = JSON.writeValueAsString(Map.of("model", "tiny-a", "max_tokens", MAX_TOKENS, "temperature", 0,
					"return_token_ids", true, "messages", List.of(Map.of("role", "user", "content", content))));
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
			assertThat(ids).as(questions.get(i)).isNotEmpty().isEqualTo(direct.get(i).tokenIds());
			assertThat(completion.at("/choices/0/message/content").asString()).isEqualTo(direct.get(i).text());
			assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(direct.get(i).promptTokens());
		}
	}

}
