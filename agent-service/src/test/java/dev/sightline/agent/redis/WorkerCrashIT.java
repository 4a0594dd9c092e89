package dev.sightline.agent.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker JVM killed with SIGKILL in the middle of a task: the other worker claims the task after the claim idle time,
 * restarts it from step 1 and finishes it; the final state and each step are recorded once.
 */
class WorkerCrashIT {

	private static final Reply CLICK = Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [60, 30]}");

	private static final Reply DONE = Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}");

	@TempDir
	Path dir;

	@Test
	void anotherWorkerFinishesTheTaskOfAKilledWorkerOnce() throws Exception {
		String prefix = "crash" + UUID.randomUUID().toString().substring(0, 8);
		RedisKeys keys = new RedisKeys(prefix);
		List<Process> workers = new ArrayList<>();
		try (RedisSupport redis = RedisSupport.start(); ScriptedModelServer model = ScriptedModelServer.start()) {
			HttpServer page = Replicas.page();
			StringRedisTemplate template = redis.template();
			try {
				// Step 1 answers at once; the step 2 call of the first worker hangs until that worker is killed; the
				// claiming worker restarts from step 1 and gets a click and the final answer.
				model.enqueue(CLICK, CLICK.afterMs(120_000), CLICK, DONE);
				for (int i = 0; i < 2; i++) {
					Map<String, Object> properties = Replicas.properties(redis, prefix, "worker", model.baseUrl(),
							Replicas.hostPort(page), Files.createDirectories(dir.resolve("worker" + i)));
					properties.put("sightline.agent.concurrency", 1);
					workers.add(Replicas.separateJvm(properties, dir.resolve("worker" + i + ".log")));
				}
				awaitWorkers(List.of(dir.resolve("worker0.log"), dir.resolve("worker1.log")), 180_000);
				try (ConfigurableApplicationContext api = Replicas.inJvm(Replicas.properties(redis, prefix, "api",
						model.baseUrl(), Replicas.hostPort(page), Files.createDirectories(dir.resolve("api"))))) {
					String base = Replicas.base(api);
					String id = Replicas.submit(base, Replicas.url(page));
					assertThat(model.awaitRequests(2, 90_000)).as("the first worker reaches step 2").isTrue();
					assertThat(Replicas.get(base, "/api/v1/tasks/" + id).json().get("steps").asInt()).isEqualTo(1);

					Process owner = owner(template, keys, workers);
					owner.destroyForcibly();
					assertThat(owner.waitFor()).as("SIGKILL exit status").isEqualTo(137);

					JsonNode task = Replicas.awaitFinal(base, id, 90_000);
					assertThat(task.get("status").asString()).isEqualTo("succeeded");
					assertThat(task.get("requeues").asInt()).isEqualTo(1);
					JsonNode steps = Replicas.get(base, "/api/v1/tasks/" + id + "/steps").json();
					List<Integer> numbers = new ArrayList<>();
					steps.forEach(step -> numbers.add(step.get("n").asInt()));
					assertThat(numbers).containsExactly(1, 2);
					RedisTaskStore store = api.getBean(RedisTaskStore.class);
					List<StoredEvent> events = store.events(id, 0);
					assertThat(events).filteredOn(event -> event.type().equals("finished")).hasSize(1);
					assertThat(events).filteredOn(event -> event.type().equals("started")).hasSize(2);
					assertThat(template.opsForStream().size(keys.queue())).as("entry acknowledged and removed")
						.isZero();
					assertThat(model.requests()).hasSize(4);
				}
			}
			finally {
				workers.forEach(Process::destroyForcibly);
				for (Process worker : workers) {
					worker.waitFor();
				}
				page.stop(0);
				RedisSupport.close(template);
			}
		}
	}

	/** Waits until every worker logged that it reads the queue (Redis lists a consumer only once it got an entry). */
	private static void awaitWorkers(List<Path> logs, long timeoutMs) throws Exception {
		long deadline = System.currentTimeMillis() + timeoutMs;
		while (System.currentTimeMillis() < deadline) {
			boolean all = true;
			for (Path log : logs) {
				all &= Files.exists(log) && Files.readString(log).contains(" as group " + RedisKeys.GROUP);
			}
			if (all) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the workers did not start reading the queue in " + timeoutMs + " ms; see " + logs);
	}

	/** The worker process that holds the task's queue entry (consumer names are host:pid:random). */
	private static Process owner(StringRedisTemplate template, RedisKeys keys, List<Process> workers) {
		PendingMessages pending = template.opsForStream()
			.pending(keys.queue(), RedisKeys.GROUP, Range.unbounded(), 10);
		assertThat(pending.size()).isEqualTo(1);
		String consumer = pending.get(0).getConsumerName();
		long pid = Long.parseLong(consumer.split(":")[1]);
		return workers.stream()
			.filter(worker -> worker.pid() == pid)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no worker process has pid " + pid + " (" + consumer + ")"));
	}

}
