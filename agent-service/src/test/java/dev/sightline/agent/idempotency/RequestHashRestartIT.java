package dev.sightline.agent.idempotency;

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
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sightline.agent.SightlineApplication;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded mode: the request hash key is kept in the data directory, so a client that retries after the service
 * restarted (a deploy between its timeout and its retry) still gets its original task.
 */
class RequestHashRestartIT {

	static final ScriptedModelServer model = ScriptedModelServer.start();

	static final HttpServer site = site();

	final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path storeDir;

	@AfterAll
	static void stop() {
		model.close();
		site.stop(0);
	}

	@Test
	void aRetryAfterARestartReturnsTheOriginalTask() throws Exception {
		model.whenExhausted(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String body = """
				{"goal": "Log in with {{pw}}", "target": {"type": "browser", "url": "http://127.0.0.1:%d/"},
				 "maxSteps": 2, "secrets": {"pw": "hunter2"}}""".formatted(site.getAddress().getPort());
		HttpResponse<String> first;
		try (ConfigurableApplicationContext service = start()) {
			first = submit(service, body);
		}
		try (ConfigurableApplicationContext restarted = start()) {
			HttpResponse<String> retry = submit(restarted, body);
			HttpResponse<String> other = submit(restarted, body.replace("hunter2", "hunter3"));

			assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
			assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
			assertThat(idOf(retry)).isEqualTo(idOf(first));
			assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
		}
	}

	private ConfigurableApplicationContext start() {
		// As arguments, not default properties: application.yml would override those (server.port among them).
		return new SpringApplicationBuilder(SightlineApplication.class).run(List.of("--server.port=0",
				"--sightline.store.dir=" + storeDir, "--sightline.model.backend=openai",
				"--sightline.model.base-url=" + model.baseUrl(), "--sightline.model.max-retries=0",
				"--sightline.model.profile=qwen2.5-vl", "--sightline.browser.allowed-hosts=127.0.0.1",
				"--sightline.agent.settle-ms=0")
			.toArray(String[]::new));
	}

	private HttpResponse<String> submit(ConfigurableApplicationContext service, String body) throws Exception {
		int port = ((WebServerApplicationContext) service).getWebServer().getPort();
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "after-restart")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String idOf(HttpResponse<String> response) {
		return response.body().replaceFirst("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
	}

	private static HttpServer site() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", exchange -> {
				byte[] page = "<!doctype html><title>Home</title><body>home</body>".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, page.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(page);
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
