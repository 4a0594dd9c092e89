package dev.sightline.agent.redis;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.SightlineApplication;

/**
 * Replicas of the service for Redis tests: in this JVM (a Spring context with real HTTP on a random port) or as a
 * separate JVM with this test class path (so a test can kill it), plus a plain HTTP client and a one-page site.
 */
final class Replicas {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** An HTTP answer. */
	record Answer(int status, String body, HttpResponse<String> raw) {

		JsonNode json() {
			return JSON.readTree(body);
		}

	}

	private Replicas() {
	}

	/** Properties of a replica using {@code redis} and the scripted model at {@code modelBaseUrl}. */
	static Map<String, Object> properties(RedisSupport redis, String keyPrefix, String role, String modelBaseUrl,
			String allowedHost, Path storeDir) {
		Map<String, Object> properties = new LinkedHashMap<>(redis.properties(keyPrefix));
		properties.put("server.port", 0);
		properties.put("sightline.role", role);
		properties.put("sightline.redis.poll-interval-ms", 20);
		properties.put("sightline.redis.heartbeat-interval-ms", 300);
		properties.put("sightline.redis.claim-idle-ms", 2000);
		properties.put("sightline.redis.claim-interval-ms", 500);
		properties.put("sightline.model.backend", "openai");
		properties.put("sightline.model.base-url", modelBaseUrl);
		properties.put("sightline.model.max-retries", 0);
		properties.put("sightline.browser.allowed-hosts", allowedHost);
		properties.put("sightline.store.dir", storeDir.toString());
		properties.put("sightline.agent.settle-ms", 0);
		return properties;
	}

	static ConfigurableApplicationContext inJvm(Map<String, Object> properties) {
		// As arguments, not default properties: application.yml would override those (server.port among them).
		return new SpringApplicationBuilder(SightlineApplication.class)
			.run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new));
	}

	static String base(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** Starts a replica in a JVM of its own; its output goes to {@code log}. */
	static Process separateJvm(Map<String, Object> properties, Path log) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true", "-cp",
				System.getProperty("java.class.path"), SightlineApplication.class.getName()));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
	}

	static Answer get(String base, String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
	}

	static Answer post(String base, String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	static Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response);
		}
		catch (IOException e) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", e);
		}
	}

	static String submit(String base, String url) {
		Answer answer = post(base, "/api/v1/tasks", """
				{"goal": "Press the button", "target": {"type": "browser", "url": "%s"}}""".formatted(url));
		if (answer.status() != 202) {
			throw new AssertionError("POST /api/v1/tasks answered " + answer.status() + ": " + answer.body());
		}
		return answer.json().get("id").asString();
	}

	static JsonNode awaitFinal(String base, String id, long timeoutMs) throws InterruptedException {
		return awaitStatus(base, id, List.of("succeeded", "failed", "cancelled", "timed_out"), timeoutMs);
	}

	/** Polls the task until its status is one of {@code statuses}. */
	static JsonNode awaitStatus(String base, String id, List<String> statuses, long timeoutMs)
			throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMs;
		JsonNode task = null;
		while (System.currentTimeMillis() < deadline) {
			task = get(base, "/api/v1/tasks/" + id).json();
			if (statuses.contains(task.path("status").asString())) {
				return task;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("task " + id + " did not reach " + statuses + " in " + timeoutMs + " ms: " + task);
	}

	/** A page with one button on 127.0.0.1; close it after the test. */
	static HttpServer page() throws IOException {
		return site("<!doctype html><title>Button</title><button style='font:32px sans-serif'>Press</button>", null);
	}

	/**
	 * Serves {@code html} at every path on 127.0.0.1, recording each request's path and query in {@code requests}
	 * when given; close it after the test.
	 */
	static HttpServer site(String html, List<String> requests) throws IOException {
		byte[] body = html.getBytes(StandardCharsets.UTF_8);
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
		server.createContext("/", exchange -> {
			if (requests != null) {
				requests.add(exchange.getRequestURI().toString());
			}
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		return server;
	}

	static String hostPort(HttpServer page) {
		return "127.0.0.1:" + page.getAddress().getPort();
	}

	static String url(HttpServer page) {
		return "http://" + hostPort(page) + "/";
	}

}
