package dev.sightline.agent.redis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Redis restarts and outages, and live events across replicas, with real replicas, Redis, Chromium and HTTP. */
class RedisFaultsIT {

	private static final Reply CLICK = Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [60, 30]}");

	private static final Reply DONE = Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}");

	@RegisterExtension
	static final RedisAndPage fixture = new RedisAndPage();

	@TempDir
	Path dir;

	private Map<String, Object> properties(String prefix, String role, ScriptedModelServer model, String name)
			throws Exception {
		return fixture.properties(dir, prefix, role, model, name);
	}

	private static String prefix() {
		return "faults" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void submitWhileRedisIsDownAnswers503ProblemAndWritesNothing() throws Exception {
		assumeTrue(fixture.redis().restartable(), "needs a local redis-server to stop (REDIS_URL or a container is in use)");
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext replica = Replicas.inJvm(properties(prefix(), "both", model, "a"))) {
			String base = Replicas.base(replica);
			assertThat(Replicas.get(base, "/api/v1/tasks").status()).isEqualTo(200);
			fixture.redis().stop();
			Replicas.Answer answer;
			try {
				answer = Replicas.post(base, "/api/v1/tasks", """
						{"goal": "Press", "target": {"type": "browser", "url": "%s"}}""".formatted(fixture.pageUrl()));
			}
			finally {
				fixture.redis().startAgain();
			}
			assertThat(answer.status()).isEqualTo(503);
			assertThat(answer.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("application/problem+json"));
			assertThat(answer.raw().headers().firstValue("Retry-After")).hasValue("5");
			assertThat(answer.json().get("detail").asString()).contains("Redis").contains("nothing was changed");
			JsonNode tasks = awaitAnswer(base, "/api/v1/tasks", 30_000);
			assertThat(tasks.get("total").asLong()).isZero();
			assertThat(model.requests()).isEmpty();
		}
	}

	@Test
	void tasksRunningDuringARedisRestartCompleteWithEveryStepOnce() throws Exception {
		assumeTrue(fixture.redis().restartable(), "needs a local redis-server to restart (REDIS_URL or a container is in use)");
		try (ScriptedModelServer model = ScriptedModelServer.start()) {
			model.enqueue(CLICK.afterMs(2_000), CLICK.afterMs(2_000)).whenExhausted(DONE);
			Map<String, Object> properties = properties(prefix(), "both", model, "b");
			// Longer than the outage: a task must not be claimed from its own live worker.
			properties.put("sightline.redis.claim-idle-ms", 20_000);
			try (ConfigurableApplicationContext replica = Replicas.inJvm(properties)) {
				String base = Replicas.base(replica);
				List<String> ids = List.of(Replicas.submit(base, fixture.pageUrl()),
						Replicas.submit(base, fixture.pageUrl()));
				assertThat(model.awaitRequests(2, 60_000)).isTrue();
				fixture.redis().stop();
				Thread.sleep(500);
				fixture.redis().startAgain();
				for (String id : ids) {
					JsonNode task = Replicas.awaitFinal(base, id, 90_000);
					assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("succeeded");
					assertThat(task.get("requeues").asInt()).isZero();
					List<Integer> numbers = new ArrayList<>();
					Replicas.get(base, "/api/v1/tasks/" + id + "/steps").json()
						.forEach(step -> numbers.add(step.get("n").asInt()));
					assertThat(numbers).containsExactly(1, 2);
				}
			}
		}
	}

	@Test
	void eventsOfATaskRunOnAWorkerStreamLiveFromTheApiReplicaAndReplayFromAnother() throws Exception {
		String prefix = prefix();
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(properties(prefix, "api", model, "api"));
				ConfigurableApplicationContext worker = Replicas.inJvm(properties(prefix, "worker", model, "w"))) {
			model.enqueue(CLICK.afterMs(1_000), DONE);
			String apiBase = Replicas.base(api);
			String id = Replicas.submit(apiBase, fixture.pageUrl());
			List<String[]> live = sse(apiBase, id, null);
			assertThat(live).extracting(event -> event[1])
				.startsWith("queued", "started", "step_started")
				.contains("model_output", "action", "step_finished")
				.endsWith("finished");
			List<Long> ids = live.stream().map(event -> Long.parseLong(event[0])).toList();
			assertThat(ids).isSorted().doesNotHaveDuplicates();

			List<String[]> replayed = sse(Replicas.base(worker), id, live.get(1)[0]);
			assertThat(replayed).extracting(event -> event[0])
				.containsExactlyElementsOf(live.subList(2, live.size()).stream().map(event -> event[0]).toList());
		}
	}

	/** Reads the task's Server-Sent Events until "finished": each as {id, name}. */
	private static List<String[]> sse(String base, String id, String lastEventId) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks/" + id + "/events"))
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		CompletableFuture<List<String[]>> events = CompletableFuture.supplyAsync(() -> {
			List<String[]> read = new ArrayList<>();
			String eventId = null;
			Iterator<String> lines = response.body().iterator();
			while (lines.hasNext()) {
				String line = lines.next();
				if (line.startsWith("id:")) {
					eventId = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					String name = line.substring(6).strip();
					read.add(new String[] { eventId, name });
					if (name.equals("finished")) {
						break;
					}
				}
			}
			return read;
		});
		return events.get(90, TimeUnit.SECONDS);
	}

	private static JsonNode awaitAnswer(String base, String path, long timeoutMs) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMs;
		Replicas.Answer answer = null;
		while (System.currentTimeMillis() < deadline) {
			answer = Replicas.get(base, path);
			if (answer.status() == 200) {
				return answer.json();
			}
			Thread.sleep(200);
		}
		throw new AssertionError(path + " did not answer 200 in " + timeoutMs + " ms: " + answer);
	}

}
