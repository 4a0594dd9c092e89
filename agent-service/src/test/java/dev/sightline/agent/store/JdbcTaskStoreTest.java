package dev.sightline.agent.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.TaskFile;
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

/** The embedded store on a real H2 file migrated by Flyway. */
class JdbcTaskStoreTest {

	@TempDir
	Path dir;

	JdbcTaskStore store;

	@BeforeEach
	void open() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		store = new JdbcTaskStore(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				new ArtifactStore(dir.resolve("artifacts")), JsonMapper.builder().build());
	}

	static Task task(String tenant, Instant createdAt) {
		TaskSpec spec = new TaskSpec("Buy the lamp", new TaskTarget.Browser("http://example.com", null, null), 10, 60,
				0, null, List.of("token"), List.of());
		return new Task(UUID.randomUUID().toString(), tenant, TaskStatus.QUEUED, spec, createdAt, null, null, 0, null,
				0);
	}

	@Test
	void roundTripsATaskWithItsSpec() {
		Task task = task("alice", Instant.parse("2026-01-01T10:00:00Z"));
		store.create(task);

		Task found = store.find(task.id()).orElseThrow();

		assertThat(found).isEqualTo(task);
		assertThat(store.find("alice", task.id())).contains(task);
		assertThat(store.find("bob", task.id())).isEmpty();
	}

	@Test
	void listsATenantsTasksNewestFirstPagedAndFiltered() {
		Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
		Task a = task("alice", t0);
		Task b = task("alice", t0.plusSeconds(1));
		Task c = task("alice", t0.plusSeconds(2));
		Task other = task("bob", t0.plusSeconds(3));
		List.of(a, b, c, other).forEach(store::create);
		store.markStarted(b.id(), t0.plusSeconds(5));

		TaskStore.TaskPage first = store.list("alice", null, 0, 2);
		TaskStore.TaskPage second = store.list("alice", null, 1, 2);
		TaskStore.TaskPage running = store.list("alice", TaskStatus.RUNNING, 0, 10);

		assertThat(first.items()).extracting(Task::id).containsExactly(c.id(), b.id());
		assertThat(first.total()).isEqualTo(3);
		assertThat(second.items()).extracting(Task::id).containsExactly(a.id());
		assertThat(running.items()).extracting(Task::id).containsExactly(b.id());
		assertThat(store.countActive("alice")).isEqualTo(3);
	}

	@Test
	void startsOnlyAQueuedTaskAndFinishesOnlyOnce() {
		Task task = task("alice", Instant.now());
		store.create(task);

		assertThat(store.markStarted(task.id(), Instant.now())).isTrue();
		assertThat(store.markStarted(task.id(), Instant.now())).isFalse();
		assertThat(store.finish(task.id(), TaskStatus.CANCELLED, "cancelled on request", Instant.now())).isTrue();
		assertThat(store.finish(task.id(), TaskStatus.SUCCEEDED, "late", Instant.now())).isFalse();
		assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
		assertThat(store.find(task.id()).orElseThrow().message()).isEqualTo("cancelled on request");
	}

	@Test
	void reportsUnfinishedTasksAndCountsRequeues() {
		Task running = task("alice", Instant.now());
		Task done = task("alice", Instant.now());
		store.create(running);
		store.create(done);
		store.markStarted(running.id(), Instant.now());
		store.finish(done.id(), TaskStatus.SUCCEEDED, null, Instant.now());

		assertThat(store.unfinished()).extracting(Task::id).containsExactly(running.id());
		store.requeue(running.id(), "interrupted by a restart");
		Task requeued = store.find(running.id()).orElseThrow();
		assertThat(requeued.status()).isEqualTo(TaskStatus.QUEUED);
		assertThat(requeued.requeues()).isEqualTo(1);
	}

	@Test
	void keepsStepsWithTheirScreenshot() {
		Task task = task("alice", Instant.now());
		store.create(task);
		Step step = new Step(task.id(), 1, Instant.parse("2026-01-01T10:00:00Z"), "<tool_call>...</tool_call>",
				new LeftClick(null), new Step.Coordinates(302, 201, 1288, 728, 1280, 720, 300.1, 198.8),
				new StepTimings(10, 20, 1, 300, 0.5, 40, 2), "left click at (300.10, 198.80)", 4);

		store.saveStep(step, new byte[] { 1, 2, 3, 4 });

		assertThat(store.steps(task.id())).containsExactly(step);
		assertThat(store.screenshot(task.id(), 1)).hasValueSatisfying(png -> assertThat(png).containsExactly(1, 2, 3, 4));
		assertThat(store.screenshot(task.id(), 2)).isEmpty();
		assertThat(store.find(task.id()).orElseThrow().steps()).isEqualTo(1);
	}

	@Test
	void replaysEventsAfterAnId() {
		Task task = task("alice", Instant.now());
		store.create(task);
		StoredEvent first = store.append(new TaskEvent.TaskQueued(task.id()));
		StoredEvent second = store.append(new TaskEvent.TaskStarted(task.id()));
		StoredEvent third = store.append(new TaskEvent.TaskFinished(task.id(), TaskStatus.SUCCEEDED, "done"));

		assertThat(store.events(task.id(), 0)).containsExactly(first, second, third);
		assertThat(store.events(task.id(), first.id())).containsExactly(second, third);
		assertThat(third.dataJson()).contains("\"status\":\"succeeded\"");
	}

	@Test
	void keepsTaskFilesByKindAndDeletesThemWithTheTaskByRetention() throws Exception {
		Task task = finished(Instant.now().minus(Duration.ofDays(40)), 0);
		TaskFile input = new TaskFile("cv.pdf", "application/pdf", 3, "aa");
		TaskFile output = new TaskFile("report.csv", "text/csv", 2, "bb");
		store.saveFile(task.id(), TaskFile.Kind.INPUT, input, new byte[] { 1, 2, 3 });
		store.saveFile(task.id(), TaskFile.Kind.OUTPUT, output, new byte[] { 4, 5 });

		assertThat(store.files(task.id(), TaskFile.Kind.INPUT)).containsExactly(input);
		assertThat(store.files(task.id(), TaskFile.Kind.OUTPUT)).containsExactly(output);
		assertThat(store.fileContent(task.id(), TaskFile.Kind.OUTPUT, "report.csv")).hasValue(new byte[] { 4, 5 });
		assertThat(store.fileContent(task.id(), TaskFile.Kind.OUTPUT, "cv.pdf")).isEmpty();

		store.enforceRetention(Instant.now().minus(Duration.ofDays(30)), 100, 1_000_000);
		assertThat(store.files(task.id(), TaskFile.Kind.OUTPUT)).isEmpty();
		assertThat(store.fileContent(task.id(), TaskFile.Kind.OUTPUT, "report.csv")).isEmpty();
		assertThat(Files.exists(dir.resolve("artifacts").resolve(task.id()))).isFalse();
	}

	@Test
	void retentionDeletesOldTasksThenOldestBeyondCountAndBytesWithTheirFiles() throws Exception {
		Instant now = Instant.now();
		Task ancient = finished(now.minus(Duration.ofDays(40)), 10);
		Task old = finished(now.minusSeconds(30), 100);
		Task recent = finished(now.minusSeconds(20), 100);
		Task newest = finished(now.minusSeconds(10), 100);
		Task running = task("alice", now);
		store.create(running);
		store.markStarted(running.id(), now);

		TaskStore.RetentionResult byAge = store.enforceRetention(now.minus(Duration.ofDays(30)), 100, 1_000_000);
		assertThat(byAge.tasksDeleted()).isEqualTo(1);
		assertThat(store.find(ancient.id())).isEmpty();
		assertThat(Files.exists(dir.resolve("artifacts").resolve(ancient.id()))).isFalse();

		TaskStore.RetentionResult byBytes = store.enforceRetention(now.minus(Duration.ofDays(30)), 100, 250);
		assertThat(byBytes).isEqualTo(new TaskStore.RetentionResult(1, 100));
		assertThat(store.find(old.id())).isEmpty();

		TaskStore.RetentionResult byCount = store.enforceRetention(now.minus(Duration.ofDays(30)), 1, 1_000_000);
		assertThat(byCount.tasksDeleted()).isEqualTo(1);
		assertThat(store.find(recent.id())).isEmpty();
		assertThat(store.find(newest.id())).isPresent();
		assertThat(store.find(running.id())).isPresent();
	}

	private Task finished(Instant at, int screenshotBytes) {
		Task task = task("alice", at);
		store.create(task);
		store.saveStep(new Step(task.id(), 1, at, "", null, null, StepTimings.NONE, "", screenshotBytes),
				new byte[screenshotBytes]);
		store.finish(task.id(), TaskStatus.SUCCEEDED, null, at);
		return task;
	}

}
