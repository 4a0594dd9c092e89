package dev.sightline.agent.redis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's input files in Redis mode: submitted through an API replica, they are stored in Redis and the worker
 * replica that runs the task writes them for its browser from there. Real replicas, Redis, Chromium and HTTP; the
 * scripted model server is the only double.
 */
class RedisFilesIT {

	@RegisterExtension
	static final RedisAndPage fixture = new RedisAndPage();

	@TempDir
	Path dir;

	@Test
	void theWorkerReplicaGivesItsBrowserTheFilesSubmittedThroughTheApiReplica() throws Exception {
		String prefix = "files" + UUID.randomUUID().toString().substring(0, 8);
		byte[] content = "name,total\nwidgets,42\n".getBytes(StandardCharsets.UTF_8);
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(fixture.properties(dir, prefix, "api", model, "api"));
				ConfigurableApplicationContext worker = Replicas
					.inJvm(fixture.properties(dir, prefix, "worker", model, "w"))) {
			// Late, so the worker's copy can be looked at while the task runs.
			model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}").afterMs(3_000));
			String apiBase = Replicas.base(api);
			Replicas.Answer submitted = Replicas.post(apiBase, "/api/v1/tasks", """
					{"goal": "Upload the sheet", "target": {"type": "browser", "url": "%s"},
					 "files": [{"name": "sheet.csv", "contentBase64": "%s"}]}"""
				.formatted(fixture.pageUrl(), Base64.getEncoder().encodeToString(content)));
			assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
			String id = submitted.json().get("id").asString();

			Path onWorker = dir.resolve("w").resolve("downloads").resolve("uploads").resolve(id).resolve("sheet.csv");
			long deadline = System.currentTimeMillis() + 30_000;
			while (!Files.exists(onWorker) && System.currentTimeMillis() < deadline) {
				Thread.sleep(50);
			}
			assertThat(onWorker).exists().hasBinaryContent(content);
			assertThat(dir.resolve("api").resolve("downloads").resolve("uploads").resolve(id))
				.as("the API replica never ran it").doesNotExist();

			JsonNode done = Replicas.awaitFinal(apiBase, id, 60_000);
			assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
			assertThat(onWorker).as("removed when the run ended").doesNotExist();
			assertThat(Replicas.get(apiBase, "/api/v1/tasks/" + id + "/files").body()).isEqualTo("[]");
			var template = fixture.redis().template();
			try {
				assertThat(template.opsForHash().keys(prefix + ":files:" + id + ":inputs"))
					.isEqualTo(java.util.Set.of("sheet.csv"));
			}
			finally {
				RedisSupport.close(template);
			}
		}
	}

}
