package dev.sightline.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scale-out bench's scripted model: an OpenAI-compatible endpoint on 127.0.0.1 that answers after a fixed latency
 * (0 = at once; every call is served concurrently, so the endpoint is never the bottleneck) and the same way for every
 * task, whichever worker asks and in whatever order: {@code clicks} clicks on the page's button, then
 * terminate. It knows how far a task is from the action history the agent puts in its prompt, so it needs no state
 * per task (a shared reply queue would hand one task's terminate to another when tasks run concurrently).
 */
final class BenchModelEndpoint implements AutoCloseable {

	/** A line the agent writes for each action a step did, opening the next step's turn. */
	private static final java.util.regex.Pattern DONE = java.util.regex.Pattern.compile("Step \\d+: ");

	static final String CLICK = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": "
			+ "{\"action\": \"left_click\", \"coordinate\": [60, 30]}}\n</tool_call>";

	static final String TERMINATE = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": "
			+ "{\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>";

	private final HttpServer server;

	private final int clicks;

	private final int latencyMs;

	private final JsonMapper json = JsonMapper.builder().build();

	private final AtomicLong calls = new AtomicLong();

	private BenchModelEndpoint(HttpServer server, int clicks, int latencyMs) {
		this.server = server;
		this.clicks = clicks;
		this.latencyMs = latencyMs;
	}

	static BenchModelEndpoint start(int clicks, int latencyMs) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
		BenchModelEndpoint endpoint = new BenchModelEndpoint(server, clicks, latencyMs);
		server.createContext("/v1/chat/completions", endpoint::chat);
		server.createContext("/v1/models", exchange -> {
			try (exchange) {
				send(exchange, "application/json", "{\"object\": \"list\", \"data\": [{\"id\": \"scripted\", "
						+ "\"object\": \"model\", \"owned_by\": \"sightline-bench\"}]}");
			}
		});
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.start();
		return endpoint;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
	}

	long calls() {
		return calls.get();
	}

	/** The answer for a prompt: a click while fewer than {@code clicks} actions are in the history, else terminate. */
	static String answer(String promptText, int clicks) {
		long done = DONE.matcher(promptText).results().count();
		return done < clicks ? CLICK : TERMINATE;
	}

	private void chat(HttpExchange exchange) throws IOException {
		try (exchange) {
			JsonNode request;
			try (InputStream in = exchange.getRequestBody()) {
				request = json.readTree(in.readAllBytes());
			}
			calls.incrementAndGet();
			String text = answer(userText(request), clicks);
			if (latencyMs > 0) {
				try {
					Thread.sleep(latencyMs); // a virtual thread per call: concurrent calls wait side by side
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			String model = request.path("model").asString("scripted");
			Map<String, Object> usage = Map.of("prompt_tokens", 1000, "completion_tokens", 30, "total_tokens", 1030);
			if (request.path("stream").asBoolean(false)) {
				Map<String, Object> chunk = Map.of("id", "bench", "object", "chat.completion.chunk", "created", 0,
						"model", model, "choices", List.of(Map.of("index", 0, "delta",
								Map.of("role", "assistant", "content", text), "finish_reason", "stop")),
						"usage", usage);
				send(exchange, "text/event-stream",
						"data: " + json.writeValueAsString(chunk) + "\n\ndata: [DONE]\n\n");
				return;
			}
			Map<String, Object> completion = Map.of("id", "bench", "object", "chat.completion", "created", 0, "model",
					model, "choices", List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", text),
							"finish_reason", "stop")),
					"usage", usage);
			send(exchange, "application/json", json.writeValueAsString(completion));
		}
	}

	private static String userText(JsonNode request) {
		StringBuilder text = new StringBuilder();
		for (JsonNode message : request.path("messages")) {
			if (!message.path("role").asString().equals("user")) {
				continue;
			}
			JsonNode content = message.path("content");
			if (content.isString()) {
				text.append(content.asString());
			}
			for (JsonNode part : content) {
				if (part.path("type").asString().equals("text")) {
					text.append(part.path("text").asString());
				}
			}
		}
		return text.toString();
	}

	private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
