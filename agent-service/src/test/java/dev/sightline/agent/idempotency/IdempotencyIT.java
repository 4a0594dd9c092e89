package dev.sightline.agent.idempotency;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key} over real HTTP: a retry returns the original task, never a second one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotencyIT extends ScriptedTaskHarness {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Value("${sightline.store.dir}")
	String storeDir;

	String body(String goal) {
		return """
				{"goal": "%s", "target": {"type": "browser", "url": "%s"}, "maxSteps": 3, "timeoutSeconds": 60}"""
			.formatted(goal, siteUrl("/"));
	}

	@Test
	void theSameKeyAndBodyReturnTheOriginalTaskWith200() throws Exception {
		model.whenExhausted(Reply.toolCall(SUCCESS));
		HttpResponse<String> first = post("/api/v1/tasks", body("Look once"), "Idempotency-Key", "job-1");
		// The same request with its members in another order and other spacing is the same request.
		HttpResponse<String> again = post("/api/v1/tasks", """
				{ "timeoutSeconds": 60, "maxSteps": 3,
				  "target": {"url": "%s", "type": "browser"}, "goal": "Look once" }""".formatted(siteUrl("/")),
				"Idempotency-Key", "job-1");

		assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		assertThat(idOf(again)).isEqualTo(idOf(first));
		assertThat(again.headers().firstValue("Location")).contains("/api/v1/tasks/" + idOf(first));
		awaitEnd(idOf(first));
		HttpResponse<String> afterItEnded = post("/api/v1/tasks", body("Look once"), "Idempotency-Key", "job-1");
		assertThat(afterItEnded.statusCode()).isEqualTo(200);
		assertThat(afterItEnded.body()).contains("\"status\":\"succeeded\"");
		assertThat(store.list("local", null, 0, 100).items()).filteredOn(task -> task.spec().goal().equals("Look once"))
			.hasSize(1);
	}

	@Test
	void theSameKeyWithAnotherBodyIs422() throws Exception {
		model.whenExhausted(Reply.toolCall(SUCCESS));
		HttpResponse<String> first = post("/api/v1/tasks", body("Look twice"), "Idempotency-Key", "job-2");
		HttpResponse<String> other = post("/api/v1/tasks", body("Look elsewhere"), "Idempotency-Key", "job-2");

		assertThat(first.statusCode()).isEqualTo(202);
		assertThat(other.statusCode()).isEqualTo(422);
		assertThat(other.body()).contains("Idempotency-Key 'job-2' was used within the last 24 h for a different "
				+ "request (task '" + idOf(first) + "')");
	}

	@Test
	void theStoredHashIsKeyedSoASecretCannotBeGuessedFromItButRetriesStillMatch() throws Exception {
		model.whenExhausted(Reply.toolCall(SUCCESS));
		String request = secretBody("hunter2");
		HttpResponse<String> first = post("/api/v1/tasks", request, "Idempotency-Key", "job-secret");
		HttpResponse<String> again = post("/api/v1/tasks", request, "Idempotency-Key", "job-secret");
		HttpResponse<String> otherSecret = post("/api/v1/tasks", secretBody("hunter3"), "Idempotency-Key",
				"job-secret");

		assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(idOf(again)).isEqualTo(idOf(first));
		assertThat(otherSecret.statusCode()).as("a different secret value is a different request").isEqualTo(422);

		String stored = jdbc.sql("select request_sha256 from idempotency_key where tenant = 'local' and idem_key = ?")
			.param("job-secret")
			.query(String.class)
			.single();
		// What the service hashes: the request as Jackson reads it, in canonical JSON.
		JsonMapper canonical = json.rebuild().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
		TaskRequest parsed = json.readValue(request, TaskRequest.class);
		String plain = RequestHash.sha256Hex(canonical.writeValueAsBytes(canonical.valueToTree(parsed)));
		assertThat(stored).hasSize(64).isNotEqualTo(plain);
		byte[] key = Files.readAllBytes(Path.of(storeDir).resolve(RequestHash.KEY_FILE));
		assertThat(stored).isEqualTo(new RequestHash(json, key).of(parsed));
		assertThat(Files.getPosixFilePermissions(Path.of(storeDir).resolve(RequestHash.KEY_FILE)))
			.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
	}

	private String secretBody(String password) {
		return """
				{"goal": "Log in with {{pw}}", "target": {"type": "browser", "url": "%s"}, "maxSteps": 3,
				 "secrets": {"pw": "%s"}}""".formatted(siteUrl("/"), password);
	}

	@Test
	void concurrentRequestsWithOneKeyCreateOneTask() throws Exception {
		model.whenExhausted(Reply.toolCall(SUCCESS));
		int n = 8;
		CountDownLatch go = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(n)) {
			for (int i = 0; i < n; i++) {
				responses.add(threads.submit(() -> {
					go.await();
					return post("/api/v1/tasks", body("Look concurrently"), "Idempotency-Key", "job-race");
				}));
			}
			go.countDown();
		}
		List<Integer> statuses = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (Future<HttpResponse<String>> response : responses) {
			statuses.add(response.get().statusCode());
			ids.add(idOf(response.get()));
		}
		assertThat(statuses).containsOnlyOnce(202).containsOnly(202, 200);
		assertThat(ids).containsOnly(ids.get(0));
		assertThat(store.list("local", null, 0, 100).items())
			.filteredOn(task -> task.spec().goal().equals("Look concurrently"))
			.hasSize(1);
	}

	@Test
	void aRefusedSubmitFreesTheKeyForTheCorrectedRetry() throws Exception {
		model.whenExhausted(Reply.toolCall(SUCCESS));
		// Refused by the service (a placeholder without its secret), not by validation: the key was claimed.
		HttpResponse<String> refused = post("/api/v1/tasks", body("Log in with {{pw}}"), "Idempotency-Key", "job-3");
		HttpResponse<String> corrected = post("/api/v1/tasks", body("Log in"), "Idempotency-Key", "job-3");

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(202);
		assertThat(awaitEnd(idOf(corrected)).status()).isEqualTo(TaskStatus.SUCCEEDED);
	}

	@Test
	void aMalformedKeyIs400() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks", body("Look"), "Idempotency-Key", "x".repeat(256));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Idempotency-Key must be 1 to 255 printable ASCII characters");
	}

}
