package dev.sightline.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;
import dev.sightline.tools.scripted.ScriptedModelServer;

/**
 * What the task-API feature ITs share: the service over real HTTP in local mode, real Chromium, a local site whose
 * pages a test sets, and the scripted model server as the only double. Subclasses are {@code @SpringBootTest} with a
 * random port.
 */
public abstract class ScriptedTaskHarness {

	protected static final ScriptedModelServer model = ScriptedModelServer.start();

	/** Path to HTML (or any body; the type is guessed from the path's extension). */
	protected static final Map<String, String> pages = new ConcurrentHashMap<>();

	/** Path and query of every request the site served, in order. */
	protected static final List<String> siteRequests = new CopyOnWriteArrayList<>();

	protected static final HttpServer site = startSite();

	protected static final String SUCCESS = "{\"action\": \"terminate\", \"status\": \"success\"}";

	@LocalServerPort
	protected int port;

	@Autowired
	protected TaskStore store;

	protected final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void harnessProperties(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("sightline-harness");
		ScriptedModelProperties.register(registry, model);
		registry.add("sightline.model.name", () -> "scripted-qwen");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.browser.allowed-hosts", ScriptedTaskHarness::siteHost);
		registry.add("sightline.agent.concurrency", () -> 2);
		registry.add("sightline.agent.settle-ms", () -> 0);
	}

	@AfterAll
	static void closeHarness() {
		// The site and model live as long as the JVM's test contexts may; stopping them here would break a cached
		// context of a later class, so only the pages are reset.
		pages.clear();
	}

	protected static String siteHost() {
		return "127.0.0.1:" + site.getAddress().getPort();
	}

	protected static String siteUrl(String path) {
		return "http://" + siteHost() + path;
	}

	protected Task await(String id, Predicate<Task> condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Task task = store.find(id).orElseThrow();
			if (condition.test(task)) {
				return task;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("task " + id + " never reached the expected state: " + store.find(id));
	}

	protected Task awaitEnd(String id) throws InterruptedException {
		return await(id, task -> task.status().isFinal());
	}

	/** The task's stored events as "type data" lines. */
	protected String eventsOf(String id) {
		return String.join("\n", store.events(id, 0).stream().map(e -> e.type() + " " + e.dataJson()).toList());
	}

	protected HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	protected HttpResponse<String> post(String path, String json, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The {@code "id"} of a task view. */
	protected static String idOf(HttpResponse<String> response) {
		return response.body().replaceFirst("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1");
	}

	private static HttpServer startSite() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().getPath();
				siteRequests.add(exchange.getRequestURI().toString());
				String body = pages.getOrDefault(path, "<!doctype html><title>Home</title><body>home</body>");
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", path.endsWith(".csv") ? "text/csv"
						: "text/html; charset=utf-8");
				if (path.endsWith(".csv")) {
					exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"report.csv\"");
				}
				exchange.sendResponseHeaders(200, bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

}
