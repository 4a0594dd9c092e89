package dev.sightline.e2e.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.SightlineApplication;

/**
 * The agent service started for real (embedded store, real HTTP on a random port) and a plain HTTP client for its
 * API. Properties are those a user would set.
 */
public final class Platform implements AutoCloseable {

	/** An HTTP answer: status, headers and body. */
	public record Answer(int status, String body, HttpResponse<String> raw) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

	}

	/** One received Server-Sent Event. */
	public record SseEvent(String id, String name, String data) {
	}

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConfigurableApplicationContext context;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	private Platform(ConfigurableApplicationContext context) {
		this.context = context;
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.base = "http://127.0.0.1:" + port;
	}

	public static Platform start(Map<String, Object> properties) {
		Map<String, Object> all = new java.util.LinkedHashMap<>();
		all.put("sightline.agent.settle-ms", 50);
		all.putAll(properties);
		// Default properties rank below application.yml, whose server.port is ${SIGHTLINE_PORT:8080}: the port goes on
		// the command line so a test never binds 8080 (and never fails when another process holds it).
		Object port = all.remove("server.port");
		return new Platform(new SpringApplicationBuilder(SightlineApplication.class).properties(all)
			.run("--server.port=" + (port == null ? 0 : port)));
	}

	public ConfigurableApplicationContext context() {
		return context;
	}

	public String base() {
		return base;
	}

	public Answer get(String path, String key) {
		return send(request(path, key).GET().build());
	}

	public Answer post(String path, String key, String json) {
		return send(request(path, key).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	public byte[] getBytes(String path, String key) throws Exception {
		HttpResponse<byte[]> response = http.send(request(path, key).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.statusCode());
		}
		return response.body();
	}

	/** Submits a task and returns its id, failing unless the service answered 202. */
	public String submit(String key, String json) {
		Answer answer = post("/api/v1/tasks", key, json);
		if (answer.status() != 202) {
			throw new AssertionError("POST /api/v1/tasks answered " + answer.status() + ": " + answer.body());
		}
		return answer.json().get("id").asString();
	}

	/** Polls the task until {@code done} holds for it; fails after {@code timeoutMs}. */
	public JsonNode await(String key, String id, Predicate<JsonNode> done, long timeoutMs) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMs;
		JsonNode task = null;
		while (System.currentTimeMillis() < deadline) {
			Answer answer = get("/api/v1/tasks/" + id, key);
			task = answer.json();
			if (answer.status() == 200 && done.test(task)) {
				return task;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("task " + id + " did not reach the expected state in " + timeoutMs + " ms: " + task);
	}

	public JsonNode awaitFinal(String key, String id, long timeoutMs) throws InterruptedException {
		return await(key, id, task -> List.of("succeeded", "failed", "cancelled", "timed_out")
			.contains(task.get("status").asString()), timeoutMs);
	}

	/** Reads the task's SSE stream until the server closes it (the task finished). */
	public List<SseEvent> events(String key, String id, String lastEventId) throws Exception {
		HttpRequest.Builder request = request("/api/v1/tasks/" + id + "/events", key).GET()
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(60));
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<java.io.InputStream> response = http.send(request.build(),
				HttpResponse.BodyHandlers.ofInputStream());
		List<SseEvent> events = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String eventId = null;
			String name = null;
			StringBuilder data = new StringBuilder();
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isEmpty()) {
					if (name != null || !data.isEmpty()) {
						events.add(new SseEvent(eventId, name, data.toString()));
					}
					eventId = null;
					name = null;
					data.setLength(0);
				}
				else if (line.startsWith("id:")) {
					eventId = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5).strip());
				}
			}
		}
		return events;
	}

	private HttpRequest.Builder request(String path, String key) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
		if (key != null) {
			builder.header("Authorization", "Bearer " + key);
		}
		return builder;
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response);
		}
		catch (Exception e) {
			throw new AssertionError("request " + request.uri() + " failed: " + e, e);
		}
	}

	@Override
	public void close() {
		context.close();
	}

}
