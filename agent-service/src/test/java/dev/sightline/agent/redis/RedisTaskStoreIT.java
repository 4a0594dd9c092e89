package dev.sightline.agent.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StepTimings;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.actions.LeftClick;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redis store against a real Redis: same contract as the embedded store. */
class RedisTaskStoreIT {

	private static RedisSupport redis;

	private static StringRedisTemplate template;

	private RedisTaskStore store;

	private RedisSettings settings;

	@BeforeAll
	static void startRedis() {
		redis = RedisSupport.start();
		template = redis.template();
	}

	@AfterAll
	static void stopRedis() {
		RedisSupport.close(template);
		redis.close();
	}

	@BeforeEach
	void newPrefix() {
		settings = new RedisSettings("t" + UUID.randomUUID().toString().substring(0, 8), 20, 500, 2000, 500, 2, 1,
				1024);
		store = new RedisTaskStore(template, settings, JsonMapper.builder().build());
	}

	private static Task task(String tenant, Instant createdAt) {
		TaskSpec spec = new TaskSpec("Look", new TaskTarget.Browser("http://127.0.0.1:1/", null, null), 5, 60, 0, null,
				List.of(), List.of());
		return new Task(UUID.randomUUID().toString(), tenant, TaskStatus.QUEUED, spec, createdAt, null, null, 0, null,
				0);
	}

	private static Step step(String taskId, int n) {
		return new Step(taskId, n, Instant.now(), "raw " + n, new LeftClick(null), null,
				StepTimings.NONE, "clicked", 0);
	}

	@Test
	void listsOnlyTheTenantsOwnTasksNewestFirstWithStatusFilter() {
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		Task older = task("acme", now);
		Task newer = task("acme", now.plusSeconds(1));
		Task other = task("globex", now);
		store.create(older);
		store.create(newer);
		store.create(other);
		store.markStarted(newer.id(), now.plusSeconds(2));

		TaskStore.TaskPage page = store.list("acme", null, 0, 10);
		assertThat(page.items()).extracting(Task::id).containsExactly(newer.id(), older.id());
		assertThat(page.total()).isEqualTo(2);
		assertThat(store.list("acme", TaskStatus.RUNNING, 0, 10).items()).extracting(Task::id)
			.containsExactly(newer.id());
		assertThat(store.list("acme", null, 1, 1).items()).extracting(Task::id).containsExactly(older.id());
		assertThat(store.find("globex", older.id())).isEmpty();
		assertThat(store.find(older.id()).orElseThrow().spec()).isEqualTo(older.spec());
		assertThat(store.countActive("acme")).isEqualTo(2);
	}

	@Test
	void startsOnlyAQueuedTaskAndFinishesATaskOnce() {
		Task task = task("acme", Instant.now());
		store.create(task);
		Instant started = Instant.ofEpochMilli(Instant.now().toEpochMilli());

		assertThat(store.markStarted(task.id(), started)).isTrue();
		assertThat(store.markStarted(task.id(), started)).isFalse();
		assertThat(store.finish(task.id(), TaskStatus.SUCCEEDED, "done", started.plusSeconds(1))).isTrue();
		assertThat(store.finish(task.id(), TaskStatus.FAILED, "late", started.plusSeconds(2))).isFalse();

		Task finished = store.find(task.id()).orElseThrow();
		assertThat(finished.status()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(finished.message()).isEqualTo("done");
		assertThat(finished.startedAt()).isEqualTo(started);
		assertThat(store.countActive("acme")).isZero();
		assertThat(store.list("acme", TaskStatus.SUCCEEDED, 0, 10).total()).isEqualTo(1);
	}

	@Test
	void requeueRestartsFromStepOneWithoutKeepingTheInterruptedSteps() {
		Task task = task("acme", Instant.now());
		store.create(task);
		store.markStarted(task.id(), Instant.now());
		store.saveStep(step(task.id(), 1), new byte[] { 1, 2, 3 });
		store.saveStep(step(task.id(), 2), null);

		store.requeue(task.id(), "worker stopped");

		Task requeued = store.find(task.id()).orElseThrow();
		assertThat(requeued.status()).isEqualTo(TaskStatus.QUEUED);
		assertThat(requeued.requeues()).isEqualTo(1);
		assertThat(requeued.steps()).isZero();
		assertThat(store.steps(task.id())).isEmpty();
		assertThat(store.screenshot(task.id(), 1)).isEmpty();
		assertThat(store.markStarted(task.id(), Instant.now())).isTrue();
		store.saveStep(step(task.id(), 1), null);
		assertThat(store.steps(task.id())).extracting(Step::n).containsExactly(1);
	}

	@Test
	void keepsScreenshotsWithATtlAndSkipsThoseOverTheSizeBudget() {
		Task task = task("acme", Instant.now());
		store.create(task);
		byte[] small = new byte[100];
		byte[] large = new byte[2048];

		store.saveStep(step(task.id(), 1), small);
		store.saveStep(step(task.id(), 2), large);

		assertThat(store.screenshot(task.id(), 1)).hasValueSatisfying(png -> assertThat(png).hasSize(100));
		assertThat(store.screenshot(task.id(), 2)).isEmpty();
		assertThat(store.steps(task.id())).extracting(Step::screenshotBytes).containsExactly(100L, 0L);
		Long ttlSeconds = template.getExpire(new RedisKeys(settings.keyPrefix()).shot(task.id(), 1));
		assertThat(ttlSeconds).isBetween(Duration.ofMinutes(59).toSeconds(), Duration.ofHours(1).toSeconds());
	}

	@Test
	void keepsFramesBetweenStepsInCaptureOrderUntilTheRunIsRestartedOrDeleted() {
		Task task = task("acme", Instant.now());
		store.create(task);
		Instant start = Instant.parse("2026-11-25T10:00:00Z");
		TaskStore.Frame early = new TaskStore.Frame(1, start.plusMillis(250));
		TaskStore.Frame late = new TaskStore.Frame(2, start.plusMillis(1250));
		store.saveFrame(task.id(), late, new byte[] { 2 });
		store.saveFrame(task.id(), early, new byte[] { 1 });
		store.saveFrame(task.id(), new TaskStore.Frame(2, start.plusMillis(2000)), new byte[2048]);

		assertThat(store.frames(task.id())).as("the frame over the size budget is skipped").containsExactly(early, late);
		assertThat(store.frame(task.id(), late)).hasValueSatisfying(png -> assertThat(png).containsExactly(2));
		RedisKeys keys = new RedisKeys(settings.keyPrefix());
		assertThat(template.getExpire(keys.frame(task.id(), "1:" + early.capturedAt().toEpochMilli())))
			.isBetween(Duration.ofMinutes(59).toSeconds(), Duration.ofHours(1).toSeconds());

		store.requeue(task.id(), "worker stopped");
		assertThat(store.frames(task.id())).isEmpty();
		assertThat(store.frame(task.id(), late)).isEmpty();

		store.saveFrame(task.id(), early, new byte[] { 1 });
		store.delete(task.id());
		assertThat(store.frames(task.id())).isEmpty();
		assertThat(template.keys(settings.keyPrefix() + ":frame*")).isEmpty();
		store.saveFrame(task.id(), early, new byte[] { 1 });
		assertThat(template.keys(settings.keyPrefix() + ":frame*")).as("no frames for a deleted task").isEmpty();
	}

	@Test
	void eventIdsIncreaseAcrossTasksAndReplayStartsAfterTheGivenId() {
		Task a = task("acme", Instant.now());
		Task b = task("acme", Instant.now());
		store.create(a);
		store.create(b);
		StoredEvent first = store.append(new TaskEvent.TaskQueued(a.id()));
		StoredEvent other = store.append(new TaskEvent.TaskQueued(b.id()));
		StoredEvent second = store.append(new TaskEvent.TaskStarted(a.id()));
		StoredEvent third = store.append(new TaskEvent.TaskFinished(a.id(), TaskStatus.SUCCEEDED, null));

		assertThat(List.of(first.id(), other.id(), second.id(), third.id())).isSorted().doesNotHaveDuplicates();
		assertThat(store.events(a.id(), 0)).extracting(StoredEvent::type)
			.containsExactly("queued", "started", "finished");
		assertThat(store.events(a.id(), first.id())).extracting(StoredEvent::id).containsExactly(second.id(),
				third.id());
		assertThat(store.lastEventId(a.id())).isEqualTo(third.id());
		assertThat(store.lastEventId("no-such-task")).isZero();
	}

	@Test
	void retentionDeletesTheOldestFinishedTasksBeyondTheCountLimit() {
		Instant now = Instant.now();
		Task oldest = task("acme", now);
		Task middle = task("acme", now);
		Task newest = task("acme", now);
		Task running = task("acme", now);
		for (Task task : List.of(oldest, middle, newest, running)) {
			store.create(task);
			store.markStarted(task.id(), now);
		}
		store.saveStep(step(oldest.id(), 1), new byte[10]);
		store.append(new TaskEvent.TaskQueued(oldest.id()));
		store.finish(oldest.id(), TaskStatus.SUCCEEDED, null, now.plusSeconds(1));
		store.finish(middle.id(), TaskStatus.FAILED, "x", now.plusSeconds(2));
		store.finish(newest.id(), TaskStatus.SUCCEEDED, null, now.plusSeconds(3));

		TaskStore.RetentionResult result = store.enforceRetention(now.minusSeconds(3600), 2, Long.MAX_VALUE);

		assertThat(result.tasksDeleted()).isEqualTo(1);
		assertThat(result.bytesFreed()).isEqualTo(10);
		assertThat(store.find(oldest.id())).isEmpty();
		assertThat(store.steps(oldest.id())).isEmpty();
		assertThat(store.events(oldest.id(), 0)).isEmpty();
		assertThat(store.list("acme", null, 0, 10).items()).extracting(Task::id)
			.containsExactlyInAnyOrder(middle.id(), newest.id(), running.id());
	}

	@Test
	void filesAreReadByAnotherReplicaSurviveARequeueAndLeaveWithTheTask() {
		Task task = task("acme", Instant.now());
		store.create(task);
		TaskFile input = new TaskFile("cv.pdf", "application/pdf", 3, "aa");
		TaskFile output = new TaskFile("report (2).csv", "text/csv", 2, "bb");
		store.saveFile(task.id(), TaskFile.Kind.INPUT, input, new byte[] { 1, 2, 3 });
		store.saveFile(task.id(), TaskFile.Kind.OUTPUT, output, new byte[] { 4, 5 });
		RedisTaskStore otherReplica = new RedisTaskStore(template, settings, JsonMapper.builder().build());

		assertThat(otherReplica.files(task.id(), TaskFile.Kind.INPUT)).containsExactly(input);
		assertThat(otherReplica.files(task.id(), TaskFile.Kind.OUTPUT)).containsExactly(output);
		assertThat(otherReplica.fileContent(task.id(), TaskFile.Kind.INPUT, "cv.pdf")).hasValue(new byte[] { 1, 2, 3 });
		assertThat(otherReplica.fileContent(task.id(), TaskFile.Kind.INPUT, "report (2).csv")).isEmpty();
		RedisKeys keys = new RedisKeys(settings.keyPrefix());
		assertThat(template.getExpire(keys.file(task.id(), "inputs", "cv.pdf")))
			.isBetween(Duration.ofMinutes(59).toSeconds(), Duration.ofHours(1).toSeconds());

		store.requeue(task.id(), "worker stopped");
		assertThat(store.files(task.id(), TaskFile.Kind.INPUT)).as("the inputs of a re-run").containsExactly(input);

		store.delete(task.id());
		assertThat(store.files(task.id(), TaskFile.Kind.INPUT)).isEmpty();
		assertThat(store.files(task.id(), TaskFile.Kind.OUTPUT)).isEmpty();
		assertThat(template.keys(settings.keyPrefix() + ":file*")).isEmpty();
	}

	@Test
	void deleteRemovesTheTaskFromEveryIndex() {
		Task task = task("acme", Instant.now());
		store.create(task);
		store.append(new TaskEvent.TaskQueued(task.id()));

		store.delete(task.id());

		assertThat(store.find(task.id())).isEmpty();
		assertThat(store.list("acme", null, 0, 10).total()).isZero();
		assertThat(store.countActive("acme")).isZero();
		assertThat(store.events(task.id(), 0)).isEmpty();
	}

}
