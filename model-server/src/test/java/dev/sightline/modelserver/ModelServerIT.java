package dev.sightline.modelserver;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.batching.ScriptedVisionModel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.util.MimeTypeUtils;

import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ModelServerIT {

	private static final List<String> SCRIPT = List.of("<tool_call>", "{\"name\": ", "\"click\", ", "\"x\": 12}",
			"</tool_call>");

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ScriptedVisionModel model = new ScriptedVisionModel(SCRIPT);

	private ModelServer server;

	@AfterEach
	void stop() {
		model.gate.countDown();
		if (server != null) {
			server.close();
		}
	}

	private ModelServer start(ServerOptions options) {
		server = ModelServer.start(options.withPort(0), model, "tiny-a");
		return server;
	}

	private static ServerOptions defaults() {
		return ServerOptions.defaults("unused");
	}

	@Test
	void answersSpringAiOpenAiClientWithScriptedCompletionAndUsage() throws IOException {
		start(defaults().withApiKey("s3cret"));
		byte[] png = png(56, 28);
		OpenAiChatModel chat = springAiClient("s3cret");

		ChatResponse response = chat.call(new Prompt(List.of(new SystemMessage("You are a GUI agent."),
				UserMessage.builder()
					.text("Click Sign in")
					.media(List.of(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(png).build()))
					.build())));

		assertThat(response.getResult().getOutput().getText()).isEqualTo(String.join("", SCRIPT));
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("stop");
		assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(SCRIPT.size());
		var conversation = model.received.getFirst();
		assertThat(response.getMetadata().getUsage().getPromptTokens())
			.isEqualTo(ScriptedVisionModel.promptTokens(conversation));
		assertThat(conversation.messages()).extracting(m -> m.role()).containsExactly(Role.SYSTEM, Role.USER);
		var userParts = conversation.messages().get(1).parts();
		assertThat(userParts).filteredOn(p -> p instanceof TextPart).extracting(p -> ((TextPart) p).text())
			.containsExactly("Click Sign in");
		assertThat(userParts).filteredOn(p -> p instanceof ImagePart)
			.singleElement()
			.satisfies(p -> assertThat(((ImagePart) p).encoded()).isEqualTo(png));
	}

	@Test
	void streamsTheSameTextToSpringAiOpenAiClient() {
		start(defaults());
		OpenAiChatModel chat = springAiClient("ignored");

		List<ChatResponse> chunks = chat.stream(new Prompt(List.of(new UserMessage("Where is the search box?"))))
			.collectList()
			.block(Duration.ofSeconds(30));

		StringBuilder text = new StringBuilder();
		for (ChatResponse chunk : chunks) {
			if (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null) {
				text.append(chunk.getResult().getOutput().getText());
			}
		}
		assertThat(text.toString()).isEqualTo(String.join("", SCRIPT));
	}

	@Test
	void streamsServerSentEventsInOpenAiChunkFormat() throws Exception {
		start(defaults());
		HttpResponse<String> response = post("""
				{"model": "tiny-a", "stream": true, "stream_options": {"include_usage": true},
				 "messages": [{"role": "user", "content": "hi"}]}""", null);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				v -> assertThat(v).startsWith("text/event-stream"));
		List<String> data = new ArrayList<>();
		for (String line : response.body().split("\n")) {
			if (line.startsWith("data: ")) {
				data.add(line.substring(6));
			}
		}
		assertThat(data.getLast()).isEqualTo("[DONE]");
		List<JsonNode> chunks = new ArrayList<>();
		for (String d : data.subList(0, data.size() - 1)) {
			chunks.add(JSON.readTree(d));
		}
		assertThat(chunks).allSatisfy(c -> {
			assertThat(c.path("object").asString()).isEqualTo("chat.completion.chunk");
			assertThat(c.path("model").asString()).isEqualTo("tiny-a");
			assertThat(c.path("id").asString()).isEqualTo(chunks.getFirst().path("id").asString()).startsWith("chatcmpl-");
		});
		assertThat(chunks.getFirst().at("/choices/0/delta/role").asString()).isEqualTo("assistant");
		StringBuilder text = new StringBuilder();
		chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asString("")));
		assertThat(text.toString()).isEqualTo(String.join("", SCRIPT));
		JsonNode finish = chunks.get(chunks.size() - 2);
		assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
		JsonNode usage = chunks.getLast();
		assertThat(usage.path("choices")).isEmpty();
		assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(SCRIPT.size());
		assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(2);
		assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(SCRIPT.size() + 2);
	}

	@Test
	void passesSamplingParametersAndReportsLengthFinish() throws Exception {
		start(defaults());
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": "hi"}], "temperature": 0.7, "top_p": 0.9, "seed": 42,
				 "max_tokens": 2, "stop": ["</tool_call>", "\\n\\n"]}""", null);

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("object").asString()).isEqualTo("chat.completion");
		assertThat(body.at("/choices/0/message/content").asString()).isEqualTo(SCRIPT.get(0) + SCRIPT.get(1));
		assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("length");
		var options = model.options.getFirst();
		assertThat(options.temperature()).isEqualTo(0.7);
		assertThat(options.topP()).isEqualTo(0.9);
		assertThat(options.seed()).hasValue(42);
		assertThat(options.maxNewTokens()).isEqualTo(2);
		assertThat(options.stop()).containsExactly("</tool_call>", "\n\n");
	}

	@Test
	void listsTheServedModel() throws Exception {
		start(defaults());
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models"))
			.build(), HttpResponse.BodyHandlers.ofString());

		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("object").asString()).isEqualTo("list");
		assertThat(body.at("/data/0/id").asString()).isEqualTo("tiny-a");
		assertThat(body.at("/data/0/object").asString()).isEqualTo("model");
	}

	@Test
	void retrievesTheServedModelByNameAsOpenAiNodesModelsRetrieveAsks() throws Exception {
		server = ModelServer.start(defaults().withPort(0).withApiKey("s3cret"), model, "Qwen/Qwen2.5-VL-3B-Instruct");
		HttpResponse<String> found = get("/models/Qwen/Qwen2.5-VL-3B-Instruct", "s3cret");
		assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(found.body());
		assertThat(body.path("id").asString()).isEqualTo("Qwen/Qwen2.5-VL-3B-Instruct");
		assertThat(body.path("object").asString()).isEqualTo("model");
		assertThat(body.path("owned_by").asString()).isEqualTo("sightline");

		HttpResponse<String> other = get("/models/tiny-b", "s3cret");
		assertError(other, 404, "model_not_found", "model");
		assertThat(JSON.readTree(other.body()).at("/error/message").asString())
			.isEqualTo("the model 'tiny-b' does not exist; this server serves 'Qwen/Qwen2.5-VL-3B-Instruct'");
		assertError(get("/models/Qwen/Qwen2.5-VL-3B-Instruct", null), 401, "invalid_api_key", null);
	}

	private HttpResponse<String> get(String path, String apiKey) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void refusesMissingAndWrongApiKeysWithOpenAiErrors() throws Exception {
		start(defaults().withApiKey("s3cret"));
		String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

		assertError(post(body, null), 401, "invalid_api_key", null);
		assertError(post(body, "wrong"), 401, "invalid_api_key", null);
		assertThat(post(body, "s3cret").statusCode()).isEqualTo(200);
		assertThat(model.received).hasSize(1);
	}

	@Test
	void refusesAModelItDoesNotServe() throws Exception {
		start(defaults());
		assertError(post("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", null),
				404, "model_not_found", "model");
	}

	@Test
	void refusesBodiesBeyondTheSizeLimit() throws Exception {
		start(defaults().withLimits(4096, 16));
		String big = "x".repeat(5000);
		HttpResponse<String> response = post(
				"{\"messages\": [{\"role\": \"user\", \"content\": \"" + big + "\"}]}", null);

		assertError(response, 413, "request_too_large", null);
		assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("4096");
		assertThat(model.received).isEmpty();
	}

	@Test
	void refusesMoreImagesThanTheLimit() throws Exception {
		start(defaults().withLimits(1 << 20, 2));
		String image = "{\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,"
				+ Base64.getEncoder().encodeToString(png(28, 28)) + "\"}}";
		HttpResponse<String> response = post("{\"messages\": [{\"role\": \"user\", \"content\": [" + image + ", "
				+ image + ", " + image + "]}]}", null);

		assertError(response, 400, "too_many_images", "messages[0].content[2]");
		assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("more than 2");
	}

	@Test
	void refusesRemoteImageUrlsUnlessAllowed() throws Exception {
		start(defaults());
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": [
				  {"type": "image_url", "image_url": {"url": "http://127.0.0.1:1/screen.png"}}]}]}""", null);

		assertError(response, 400, "invalid_value", "messages[0].content[0].image_url");
		assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("--allow-remote-images");
	}

	@Test
	void fetchesRemoteImagesOnlyFromListedHostsCheckingEveryRedirect() throws Exception {
		byte[] png = png(56, 56);
		com.sun.net.httpserver.HttpServer images = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
		com.sun.net.httpserver.HttpServer elsewhere = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8);
		String elsewhereUrl = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/secret.png";
		images.createContext("/screen.png", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			try (var out = exchange.getResponseBody()) {
				out.write(png);
			}
		});
		images.createContext("/hop", exchange -> {
			exchange.getResponseHeaders().set("Location", "/screen.png");
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
		images.createContext("/away", exchange -> {
			exchange.getResponseHeaders().set("Location", elsewhereUrl);
			exchange.sendResponseHeaders(302, -1);
			exchange.close();
		});
		java.util.concurrent.atomic.AtomicInteger elsewhereHits = new java.util.concurrent.atomic.AtomicInteger();
		elsewhere.createContext("/", exchange -> {
			elsewhereHits.incrementAndGet();
			exchange.sendResponseHeaders(200, png.length);
			try (var out = exchange.getResponseBody()) {
				out.write(png);
			}
		});
		images.start();
		elsewhere.start();
		try {
			String listed = "127.0.0.1:" + images.getAddress().getPort();
			start(defaults().withAllowRemoteImages(true).withImageHosts(List.of(listed)));

			HttpResponse<String> direct = post(imageRequest("http://" + listed + "/screen.png"), null);
			assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
			HttpResponse<String> redirected = post(imageRequest("http://" + listed + "/hop"), null);
			assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(200);
			assertThat(model.received).hasSize(2);

			HttpResponse<String> away = post(imageRequest("http://" + listed + "/away"), null);
			assertError(away, 400, "invalid_value", "messages[0].content[0].image_url");
			assertThat(JSON.readTree(away.body()).at("/error/message").asString()).contains("is refused")
				.contains("not on the allow list")
				.contains("reached by a redirect");
			HttpResponse<String> unlisted = post(imageRequest(elsewhereUrl), null);
			assertError(unlisted, 400, "invalid_value", "messages[0].content[0].image_url");
			assertThat(elsewhereHits).as("a host off the list is never contacted").hasValue(0);
		}
		finally {
			images.stop(0);
			elsewhere.stop(0);
		}
	}

	@Test
	void refusesRemoteImagesFromPrivateAddressesWhenNoHostIsListed() throws Exception {
		start(defaults().withAllowRemoteImages(true));
		HttpResponse<String> response = post(imageRequest("http://127.0.0.1:1/screen.png"), null);

		assertError(response, 400, "invalid_value", "messages[0].content[0].image_url");
		assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("is refused")
			.contains("loopback");
	}

	private static String imageRequest(String url) {
		return """
				{"messages": [{"role": "user", "content": [
				  {"type": "image_url", "image_url": {"url": "%s"}}, {"type": "text", "text": "Where?"}]}]}"""
			.formatted(url);
	}

	@Test
	void refusesOutOfRangeParametersAndMalformedJson() throws Exception {
		start(defaults());
		assertError(post("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 3}", null),
				400, "invalid_value", "temperature");
		assertError(post("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 100000}", null),
				400, "invalid_value", "max_tokens");
		assertError(post("{\"messages\": [{\"role\": \"narrator\", \"content\": \"hi\"}]}", null), 400, "invalid_value",
				"messages[0].role");
		assertError(post("{\"messages\": [", null), 400, "invalid_value", null);
		assertError(post("{\"messages\": []}", null), 400, "invalid_value", "messages");
		assertThat(model.received).isEmpty();
	}

	@Test
	void answersUnknownRoutesAndMethodsWithOpenAiErrors() throws Exception {
		start(defaults());
		HttpResponse<String> get = http.send(
				HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertError(get, 405, "method_not_allowed", null);
		HttpResponse<String> unknown = http.send(
				HttpRequest.newBuilder(URI.create(server.baseUrl() + "/embeddings")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertError(unknown, 404, "not_found", null);
	}

	@Test
	void refusesRequestsBeyondTheQueueWith429AndRetryAfter() throws Exception {
		start(defaults().withMaxQueue(1));
		model.gate = new CountDownLatch(1);
		String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
		CompletableFuture<HttpResponse<String>> running = postAsync(body);
		await().atMost(Duration.ofSeconds(10)).until(() -> model.received.size() == 1);
		CompletableFuture<HttpResponse<String>> queued = postAsync(body);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.scheduler().queueDepth() == 1);

		HttpResponse<String> refused = post(body, null);

		assertError(refused, 429, "queue_full", null);
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
				v -> assertThat(Long.parseLong(v)).isPositive());
		model.gate.countDown();
		assertThat(running.get().statusCode()).isEqualTo(200);
		assertThat(queued.get().statusCode()).isEqualTo(200);
		assertThat(metrics()).contains("sightline_model_requests_total{model=\"tiny-a\",outcome=\"rejected\"} 1.0");
	}

	@Test
	void cancelsTheGenerationWhenAStreamingClientDisconnects() throws Exception {
		List<String> many = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			many.add("tok" + i + " ");
		}
		ScriptedVisionModel slow = new ScriptedVisionModel(many);
		slow.pieceDelayMs = 10;
		server = ModelServer.start(defaults().withPort(0), slow, "tiny-a");
		String body = "{\"stream\": true, \"max_tokens\": 1000, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";

		try (Socket socket = new Socket("127.0.0.1", server.port())) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			int contentChunks = 0;
			String line;
			while (contentChunks < 3 && (line = in.readLine()) != null) {
				if (line.contains("\"content\":\"tok")) {
					contentChunks++;
				}
			}
			assertThat(contentChunks).isEqualTo(3);
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> slow.lastFinishReason == FinishReason.CANCELLED);
		assertThat(metrics()).contains("outcome=\"cancelled\"");
	}

	@Test
	void exposesPrometheusMetricsForQueueLatencyAndThroughput() throws Exception {
		start(defaults());
		post("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", null);

		String metrics = metrics();

		assertThat(metrics).contains("# TYPE sightline_model_queue_depth gauge")
			.contains("sightline_model_queue_depth{model=\"tiny-a\"} 0.0")
			.contains("sightline_model_time_to_first_token_seconds_count{model=\"tiny-a\"} 1")
			.contains("sightline_model_generated_tokens_total{model=\"tiny-a\"} " + SCRIPT.size() + ".0")
			.contains("sightline_model_decode_tokens_per_second")
			.contains("sightline_model_batch_size");
	}

	private String metrics() throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");
		return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private OpenAiChatModel springAiClient(String apiKey) {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(server.baseUrl().toString())
				.apiKey(apiKey)
				.model("tiny-a")
				.maxRetries(0)
				.build())
			.build();
	}

	private HttpResponse<String> post(String body, String apiKey) throws Exception {
		return http.send(request(body, apiKey), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> postAsync(String body) {
		return http.sendAsync(request(body, null), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String body, String apiKey) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (apiKey != null) {
			request.header("Authorization", "Bearer " + apiKey);
		}
		return request.build();
	}

	private static void assertError(HttpResponse<String> response, int status, String code, String param)
			throws IOException {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode error = JSON.readTree(response.body()).path("error");
		assertThat(error.path("message").asString()).isNotBlank();
		assertThat(error.path("type").asString()).isNotBlank();
		assertThat(error.path("code").asString()).isEqualTo(code);
		if (param == null) {
			assertThat(error.path("param").isNull()).isTrue();
		}
		else {
			assertThat(error.path("param").asString()).isEqualTo(param);
		}
	}

	static byte[] png(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		var g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.BLUE);
		g.fillRect(width / 4, height / 4, width / 2, height / 2);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
