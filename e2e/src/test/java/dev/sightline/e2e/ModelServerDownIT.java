package dev.sightline.e2e;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.FixtureSite;
import dev.sightline.e2e.support.Platform;

import static org.assertj.core.api.Assertions.assertThat;

/** With the model endpoint down a task fails with a clear message, and the service keeps serving. */
class ModelServerDownIT {

	@TempDir
	Path storeDir;

	@Test
	void failsTheTaskClearlyAndKeepsServing() throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		try (FixtureSite site = FixtureSite.start();
				Platform platform = Platform.start(Map.of("sightline.model.backend", "openai",
						"sightline.model.base-url", "http://127.0.0.1:" + deadPort + "/v1", "sightline.model.max-retries",
						0, "sightline.store.dir", storeDir.toString(), "sightline.browser.allowed-hosts",
						site.hostPort()))) {
			String task = """
					{"goal": "Look", "target": {"type": "browser", "url": "%s"}}""".formatted(site.url("index.html"));
			String id = platform.submit(null, task);

			JsonNode failed = platform.awaitFinal(null, id, 60_000);

			assertThat(failed.get("status").asString()).isEqualTo("failed");
			assertThat(failed.get("message").asString()).contains("model endpoint failed");
			assertThat(platform.get("/actuator/health", null).body()).contains("\"status\":\"UP\"")
				.contains("\"reachable\":false");
			assertThat(platform.get("/api/v1/tasks", null).json().get("total").asInt()).isEqualTo(1);
			String next = platform.submit(null, task);
			assertThat(platform.awaitFinal(null, next, 60_000).get("status").asString()).isEqualTo("failed");
		}
	}

}
