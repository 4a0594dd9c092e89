package dev.sightline.tools.scripted;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The only test double of Sightline's end-to-end flows: a real HTTP server on 127.0.0.1 that speaks the OpenAI
 * chat-completions API ({@code POST /v1/chat/completions}, plain and {@code "stream": true}; {@code GET /v1/models})
 * and answers each request with the next scripted {@link Reply}, recording every request body it received. When the
 * script runs out it answers {@link #whenExhausted(Reply)} (by default an HTTP 500 naming the exhaustion, so a test
 * that under-scripts fails loudly).
 */
public final class ScriptedModelServer implements AutoCloseable {

	/**
	 * One scripted answer.
	 *
	 * @param text the assistant message content
	 * @param delayMs how long to wait before answering (simulates model time)
	 * @param httpStatus status to answer with; anything but 200 answers an OpenAI error object
	 */
	public record Reply(String text, long delayMs, int httpStatus) {

		public Reply {
			Objects.requireNonNull(text, "text");
			if (delayMs < 0) {
				throw new IllegalArgumentException("delayMs must be >= 0, got " + delayMs);
			}
		}

		public static Reply text(String text) {
			return new Reply(text, 0, 200);
		}

		/** A Qwen2.5-VL style {@code computer_use} tool call with the given arguments JSON object. */
		public static Reply toolCall(String argumentsJson) {
			return text("<tool_call>\n{\"name\": \"computer_use\", \"arguments\": " + argumentsJson + "}\n</tool_call>");
		}

		public static Reply error(int httpStatus, String message) {
			return new Reply(message, 0, httpStatus);
		}

		public Reply afterMs(long value) {
			return new Reply(text, value, httpStatus);
		}

	}

	/** What a client sent: the parsed JSON body and its raw text. */
	public record RecordedRequest(String path, String body, JsonNode json) {

		/** All text parts of all messages, in order, joined by newlines. */
		public String allText() {
			StringBuilder text = new StringBuilder();
			for (JsonNode message : json.path("messages")) {
				JsonNode content = message.path("content");
				if (content.isTextual()) {
					text.append(content.asText()).append('\n');
				}
				for (JsonNode part : content) {
					if (part.path("type").asText().equals("text")) {
						text.append(part.path("text").asText()).append('\n');
					}
				}
			}
			return text.toString();
		}

		/** The image data URLs of all messages, in order. */
		public List<String> imageUrls() {
			List<String> urls = new ArrayList<>();
			for (JsonNode message : json.path("messages")) {
				for (JsonNode part : message.path("content")) {
					if (part.path("type").asText().equals("image_url")) {
						urls.add(part.path("image_url").path("url").asText());
					}
				}
			}
			return urls;
		}

	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpServer server;

	private final BlockingDeque<Reply> script = new LinkedBlockingDeque<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final AtomicReference<Reply> whenExhausted = new AtomicReference<>(
			Reply.error(500, "ScriptedModelServer: script exhausted"));

	private final AtomicLong ids = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxInFlight = new AtomicInteger();

	private ScriptedModelServer(HttpServer server) {
		this.server = server;
	}

	/** Starts on a free port of 127.0.0.1. */
	public static ScriptedModelServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
			ScriptedModelServer scripted = new ScriptedModelServer(server);
			server.createContext("/v1/chat/completions", scripted::chat);
			server.createContext("/v1/models", scripted::models);
			server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			server.start();
			return scripted;
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot start the scripted model server on 127.0.0.1", e);
		}
	}

	/** Base URL as OpenAI clients expect it, ending in {@code /v1}. */
	public String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
	}

	public int port() {
		return server.getAddress().getPort();
	}

	public ScriptedModelServer enqueue(Reply... replies) {
		script.addAll(List.of(replies));
		return this;
	}

	/** The reply given once the script is empty; e.g. a slow wait to keep a task running. */
	public ScriptedModelServer whenExhausted(Reply reply) {
		whenExhausted.set(Objects.requireNonNull(reply, "reply"));
		return this;
	}

	public List<RecordedRequest> requests() {
		return List.copyOf(requests);
	}

	/** Waits until at least {@code count} requests arrived; false on timeout. */
	/** The most chat requests this server was answering at the same time. */
	public int maxConcurrentRequests() {
		return maxInFlight.get();
	}

	public boolean awaitRequests(int count, long timeoutMs) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
		while (requests.size() < count) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	private void models(HttpExchange exchange) throws IOException {
		try (exchange) {
			send(exchange, 200, "application/json", "{\"object\": \"list\", \"data\": [{\"id\": \"scripted\", "
					+ "\"object\": \"model\", \"owned_by\": \"sightline-tests\"}]}");
		}
	}

	private void chat(HttpExchange exchange) throws IOException {
		maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		try {
			answer(exchange);
		}
		finally {
			inFlight.decrementAndGet();
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!exchange.getRequestMethod().equals("POST")) {
				send(exchange, 405, "application/json", errorJson("only POST is supported"));
				return;
			}
			String body;
			try (InputStream in = exchange.getRequestBody()) {
				body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			JsonNode json = JSON.readTree(body);
			requests.add(new RecordedRequest(exchange.getRequestURI().getPath(), body, json));
			Reply reply = script.poll();
			if (reply == null) {
				reply = whenExhausted.get();
			}
			if (reply.delayMs() > 0) {
				try {
					Thread.sleep(reply.delayMs());
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			if (reply.httpStatus() != 200) {
				send(exchange, reply.httpStatus(), "application/json", errorJson(reply.text()));
				return;
			}
			String model = json.path("model").asText("scripted");
			if (json.path("stream").asBoolean(false)) {
				stream(exchange, model, reply.text());
			}
			else {
				send(exchange, 200, "application/json", completionJson(model, reply.text()));
			}
		}
	}

	private String completionJson(String model, String text) throws IOException {
		Map<String, Object> completion = Map.of("id", "chatcmpl-scripted-" + ids.incrementAndGet(), "object",
				"chat.completion", "created", System.currentTimeMillis() / 1000, "model", model, "choices",
				List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", text), "finish_reason",
						"stop")),
				"usage", usage(text));
		return JSON.writeValueAsString(completion);
	}

	private void stream(HttpExchange exchange, String model, String text) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		String id = "chatcmpl-scripted-" + ids.incrementAndGet();
		long created = System.currentTimeMillis() / 1000;
		try (OutputStream out = exchange.getResponseBody()) {
			// Chunks of a few characters, like a real server's token stream.
			for (int i = 0; i < text.length(); i += 8) {
				String piece = text.substring(i, Math.min(text.length(), i + 8));
				Map<String, Object> chunk = Map.of("id", id, "object", "chat.completion.chunk", "created", created,
						"model", model, "choices",
						List.of(Map.of("index", 0, "delta", Map.of("role", "assistant", "content", piece))));
				out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			Map<String, Object> last = Map.of("id", id, "object", "chat.completion.chunk", "created", created, "model",
					model, "choices", List.of(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop")), "usage",
					usage(text));
			out.write(("data: " + JSON.writeValueAsString(last) + "\n\n").getBytes(StandardCharsets.UTF_8));
			out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
		}
	}

	private static Map<String, Object> usage(String text) {
		// Not a tokenizer: a stable count so clients that read usage get plausible numbers.
		int completion = Math.max(1, text.length() / 4);
		return Map.of("prompt_tokens", 1000, "completion_tokens", completion, "total_tokens", 1000 + completion);
	}

	private static String errorJson(String message) throws IOException {
		return JSON.writeValueAsString(Map.of("error", Map.of("message", message, "type", "scripted_error")));
	}

	private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
