package dev.sightline.agent.idempotency;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Idempotency-Key} over real HTTP: a retry returns the original task, never a second one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotencyIT extends ScriptedTaskHarness {

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
