package dev.sightline.agent.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
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
import dev.sightline.tools.actions.Action;

/** The embedded store: H2 through Spring JDBC (schema by Flyway) plus PNG files in an {@link ArtifactStore}. */
public class JdbcTaskStore implements TaskStore {

	private static final String ACTIVE = "('queued', 'running', 'awaiting_approval')";

	private static final String FINAL = "('succeeded', 'failed', 'cancelled', 'timed_out')";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ArtifactStore artifacts;

	private final JsonMapper json;

	public JdbcTaskStore(JdbcClient jdbc, TransactionTemplate transactions, ArtifactStore artifacts, JsonMapper json) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.artifacts = artifacts;
		this.json = json;
	}

	@Override
	public void create(Task task) {
		jdbc.sql("""
				insert into task (id, tenant, status, spec_json, created_at, steps, requeues)
				values (:id, :tenant, :status, :spec, :created, 0, 0)""")
			.param("id", task.id())
			.param("tenant", task.tenant())
			.param("status", task.status().wireName())
			.param("spec", json.writeValueAsString(task.spec()))
			.param("created", Timestamp.from(task.createdAt()))
			.update();
	}

	@Override
	public void delete(String id) {
		jdbc.sql("delete from task where id = :id").param("id", id).update();
		artifacts.deleteTask(id);
	}

	@Override
	public Optional<Task> find(String id) {
		return jdbc.sql("select * from task where id = :id").param("id", id).query(this::task).optional();
	}

	@Override
	public TaskPage list(String tenant, @Nullable TaskStatus status, int page, int size) {
		String where = "where tenant = :tenant" + (status == null ? "" : " and status = :status");
		var count = jdbc.sql("select count(*) from task " + where).param("tenant", tenant);
		var items = jdbc.sql("select * from task " + where + " order by created_at desc, id limit :size offset :offset")
			.param("tenant", tenant)
			.param("size", size)
			.param("offset", (long) page * size);
		if (status != null) {
			count = count.param("status", status.wireName());
			items = items.param("status", status.wireName());
		}
		return new TaskPage(items.query(this::task).list(), count.query(Long.class).single(), page, size);
	}

	@Override
	public int countActive(String tenant) {
		return jdbc.sql("select count(*) from task where tenant = :tenant and status in " + ACTIVE)
			.param("tenant", tenant)
			.query(Integer.class)
			.single();
	}

	@Override
	public boolean markStarted(String id, Instant at) {
		return jdbc.sql("update task set status = 'running', started_at = :at where id = :id and status = 'queued'")
			.param("at", Timestamp.from(at))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean finish(String id, TaskStatus status, @Nullable String message, Instant at) {
		if (!status.isFinal()) {
			throw new IllegalArgumentException("finish needs a final status, got " + status.wireName());
		}
		return jdbc.sql("update task set status = :status, message = :message, finished_at = :at "
				+ "where id = :id and status not in " + FINAL)
			.param("status", status.wireName())
			.param("message", truncate(message, 4000))
			.param("at", Timestamp.from(at))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean changeStatus(String id, TaskStatus from, TaskStatus to) {
		if (from.isFinal() || to.isFinal()) {
			throw new IllegalArgumentException("changeStatus moves between unfinished statuses, got "
					+ from.wireName() + " -> " + to.wireName() + "; use finish");
		}
		return jdbc.sql("update task set status = :to where id = :id and status = :from")
			.param("to", to.wireName())
			.param("from", from.wireName())
			.param("id", id)
			.update() == 1;
	}

	@Override
	public void requeue(String id, String message) {
		jdbc.sql("update task set status = 'queued', requeues = requeues + 1, message = :message where id = :id")
			.param("message", truncate(message, 4000))
			.param("id", id)
			.update();
	}

	@Override
	public List<Task> unfinished() {
		return jdbc.sql("select * from task where status in " + ACTIVE + " order by created_at")
			.query(this::task)
			.list();
	}

	@Override
	public void saveStep(Step step, byte @Nullable [] screenshotPng) {
		if (screenshotPng != null) {
			artifacts.writeScreenshot(step.taskId(), step.n(), screenshotPng);
		}
		transactions.executeWithoutResult(status -> {
			jdbc.sql("""
					merge into step (task_id, n, started_at, raw_output, action_json, coordinates_json, timings_json,
					  outcome, screenshot_bytes, prompt_tokens, completion_tokens)
					key (task_id, n)
					values (:task, :n, :started, :raw, :action, :coords, :timings, :outcome, :bytes, :prompt,
					  :completion)""")
				.param("task", step.taskId())
				.param("n", step.n())
				.param("started", Timestamp.from(step.startedAt()))
				.param("raw", step.rawOutput())
				.param("action", step.action() == null ? null : json.writeValueAsString(step.action()))
				.param("coords", step.coordinates() == null ? null : json.writeValueAsString(step.coordinates()))
				.param("timings", json.writeValueAsString(step.timings()))
				.param("outcome", truncate(step.outcome(), 4000))
				.param("bytes", screenshotPng == null ? 0L : (long) screenshotPng.length)
				.param("prompt", step.promptTokens())
				.param("completion", step.completionTokens())
				.update();
			jdbc.sql("update task set steps = greatest(steps, :n) where id = :task")
				.param("n", step.n())
				.param("task", step.taskId())
				.update();
		});
	}

	/** Files live beside the screenshots in the artifact directory and go with the task. */
	@Override
	public void saveFile(String taskId, TaskFile.Kind kind, TaskFile file, byte[] content) {
		artifacts.writeFile(taskId, kind, file, content);
	}

	@Override
	public List<TaskFile> files(String taskId, TaskFile.Kind kind) {
		return artifacts.files(taskId, kind);
	}

	@Override
	public Optional<byte[]> fileContent(String taskId, TaskFile.Kind kind, String name) {
		return artifacts.readFile(taskId, kind, name);
	}

	@Override
	public void deleteFiles(String taskId) {
		artifacts.deleteTask(taskId);
	}

	/** Frames live beside the step screenshots in the artifact directory and go with the task. */
	@Override
	public void saveFrame(String taskId, Frame frame, byte[] png) {
		artifacts.writeFrame(taskId, frame, png);
	}

	@Override
	public List<Frame> frames(String taskId) {
		return artifacts.frames(taskId);
	}

	@Override
	public Optional<byte[]> frame(String taskId, Frame frame) {
		return artifacts.readFrame(taskId, frame);
	}

	@Override
	public List<Step> steps(String taskId) {
		return jdbc.sql("select * from step where task_id = :task order by n")
			.param("task", taskId)
			.query(this::step)
			.list();
	}

	@Override
	public Optional<byte[]> screenshot(String taskId, int n) {
		return artifacts.readScreenshot(taskId, n);
	}

	@Override
	public StoredEvent append(TaskEvent event) {
		String data = json.writeValueAsString(event);
		KeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("insert into task_event (task_id, type, data_json, created_at) values (:task, :type, :data, :at)")
			.param("task", event.taskId())
			.param("type", event.type())
			.param("data", data)
			.param("at", Timestamp.from(Instant.now()))
			.update(keys, "id");
		return new StoredEvent(keys.getKeyAs(Long.class), event.taskId(), event.type(), data);
	}

	@Override
	public List<StoredEvent> events(String taskId, long afterId) {
		return jdbc.sql("select * from task_event where task_id = :task and id > :after order by id")
			.param("task", taskId)
			.param("after", afterId)
			.query((rs, i) -> new StoredEvent(rs.getLong("id"), rs.getString("task_id"), rs.getString("type"),
					rs.getString("data_json")))
			.list();
	}

	@Override
	public RetentionResult enforceRetention(Instant olderThan, int maxTasks, long maxBytes) {
		record Finished(String id, Instant finishedAt, long bytes) {
		}
		// Newest first: what is kept is the most recent work within the count and byte limits.
		List<Finished> finished = jdbc.sql("""
				select t.id, t.finished_at, coalesce(sum(s.screenshot_bytes), 0) as bytes
				from task t left join step s on s.task_id = t.id
				where t.status in %s group by t.id, t.finished_at order by t.finished_at desc, t.id""".formatted(FINAL))
			.query((rs, i) -> new Finished(rs.getString("id"), rs.getTimestamp("finished_at").toInstant(),
					rs.getLong("bytes")))
			.list();
		List<Finished> doomed = new ArrayList<>();
		long keptBytes = 0;
		int kept = 0;
		for (Finished task : finished) {
			if (task.finishedAt().isBefore(olderThan) || kept >= maxTasks || keptBytes + task.bytes() > maxBytes) {
				doomed.add(task);
			}
			else {
				kept++;
				keptBytes += task.bytes();
			}
		}
		long freed = 0;
		for (Finished task : doomed) {
			jdbc.sql("delete from task where id = :id").param("id", task.id()).update();
			artifacts.deleteTask(task.id());
			freed += task.bytes();
		}
		return new RetentionResult(doomed.size(), freed);
	}

	@Override
	public void ping() {
		jdbc.sql("select 1").query(Integer.class).single();
	}

	private Task task(ResultSet rs, int row) throws SQLException {
		return new Task(rs.getString("id"), rs.getString("tenant"), TaskStatus.fromWire(rs.getString("status")),
				json.readValue(rs.getString("spec_json"), TaskSpec.class), instant(rs, "created_at"),
				instant(rs, "started_at"), instant(rs, "finished_at"), rs.getInt("steps"), rs.getString("message"),
				rs.getInt("requeues"));
	}

	private Step step(ResultSet rs, int row) throws SQLException {
		String action = rs.getString("action_json");
		String coordinates = rs.getString("coordinates_json");
		return new Step(rs.getString("task_id"), rs.getInt("n"), instant(rs, "started_at"), rs.getString("raw_output"),
				action == null ? null : json.readValue(action, Action.class),
				coordinates == null ? null : json.readValue(coordinates, Step.Coordinates.class),
				json.readValue(rs.getString("timings_json"), StepTimings.class), rs.getString("outcome"),
				rs.getLong("screenshot_bytes"), rs.getInt("prompt_tokens"), rs.getInt("completion_tokens"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private static @Nullable String truncate(@Nullable String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
	}

}
