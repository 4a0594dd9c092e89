package dev.sightline.e2e;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.FixtureSite;
import dev.sightline.e2e.support.Platform;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store survives a restart: finished tasks stay, the running one is re-queued once and finishes. */
class RestartIT {

	@TempDir
	Path storeDir;

	@Test
	void keepsFinishedTasksAndRequeuesTheRunningOneOnce() throws Exception {
		try (ScriptedModelServer model = ScriptedModelServer.start(); FixtureSite site = FixtureSite.start()) {
			Map<String, Object> properties = Map.of("sightline.model.backend", "openai", "sightline.model.base-url",
					model.baseUrl(), "sightline.model.max-retries", 0, "sightline.store.dir", storeDir.toString(),
					"sightline.browser.allowed-hosts", site.hostPort(), "sightline.agent.concurrency", 1);
			String task = """
					{"goal": "Look", "target": {"type": "browser", "url": "%s"}}""".formatted(site.url("done.html"));
			String finished;
			String interrupted;
			try (Platform first = Platform.start(properties)) {
				model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
				finished = first.submit(null, task);
				first.awaitFinal(null, finished, 60_000);
				// The second task's model call hangs until the service stops under it.
				model.enqueue(Reply.toolCall("{\"action\": \"wait\", \"time\": 1}").afterMs(30_000));
				int before = model.requests().size();
				interrupted = first.submit(null, task);
				assertThat(model.awaitRequests(before + 1, 30_000)).isTrue();
				assertThat(first.get("/api/v1/tasks/" + interrupted, null).json().get("status").asString())
					.isEqualTo("running");
			}
			model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
			try (Platform second = Platform.start(properties)) {
				JsonNode kept = second.get("/api/v1/tasks/" + finished, null).json();
				assertThat(kept.get("status").asString()).isEqualTo("succeeded");
				assertThat(second.get("/api/v1/tasks/" + finished + "/steps", null).json()).hasSize(1);
				JsonNode resumed = second.awaitFinal(null, interrupted, 60_000);
				assertThat(resumed.get("status").asString()).isEqualTo("succeeded");
				assertThat(resumed.get("requeues").asInt()).isEqualTo(1);
			}
		}
	}

}
