package dev.sightline.agent.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;

/**
 * The {@link TaskStore} of Redis mode: every replica sees the same tasks, steps, screenshots and events. Changes that
 * touch several keys run as one {@link RedisScripts Lua script}, so a failure never leaves half a task behind.
 */
public class RedisTaskStore implements TaskStore {

	private static final int MAX_MESSAGE_CHARS = 4000;

	private static final int EVENTS_PER_READ = 1000;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisSettings settings;

	private final JsonMapper json;

	public RedisTaskStore(StringRedisTemplate redis, RedisSettings settings, JsonMapper json) {
		this.redis = redis;
		this.keys = new RedisKeys(settings.keyPrefix());
		this.settings = settings;
		this.json = json;
	}

	@Override
	public void create(Task task) {
		Long created = redis.execute(RedisScripts.CREATE, List.of(), keys.prefix(), task.id(), task.tenant(),
				task.status().wireName(), json.writeValueAsString(task.spec()),
				Long.toString(task.createdAt().toEpochMilli()));
		if (created == null || created == 0) {
			throw new IllegalStateException("task id " + task.id() + " exists already");
		}
	}

	@Override
	public void delete(String id) {
		redis.execute(RedisScripts.DELETE, List.of(), keys.prefix(), id);
	}

	@Override
	public Optional<Task> find(String id) {
		Map<Object, Object> fields = redis.opsForHash().entries(keys.task(id));
		return fields.isEmpty() ? Optional.empty() : Optional.of(task(fields));
	}

	@Override
	public TaskPage list(String tenant, @Nullable TaskStatus status, int page, int size) {
		String index = status == null ? keys.tenant(tenant) : keys.tenant(tenant, status.wireName());
		Long total = redis.opsForZSet().zCard(index);
		long start = (long) page * size;
		Set<String> ids = redis.opsForZSet().reverseRange(index, start, start + size - 1);
		List<Task> items = new ArrayList<>();
		for (String id : ids == null ? Set.<String>of() : ids) {
			find(id).ifPresent(items::add);
		}
		return new TaskPage(items, total == null ? 0 : total, page, size);
	}

	@Override
	public int countActive(String tenant) {
		long active = 0;
		for (TaskStatus status : TaskStatus.values()) {
			if (!status.isFinal()) {
				Long count = redis.opsForZSet().zCard(keys.tenant(tenant, status.wireName()));
				active += count == null ? 0 : count;
			}
		}
		return (int) active;
	}

	@Override
	public boolean markStarted(String id, Instant at) {
		return changed(redis.execute(RedisScripts.MARK_STARTED, List.of(), keys.prefix(), id,
				Long.toString(at.toEpochMilli())));
	}

	@Override
	public boolean finish(String id, TaskStatus status, @Nullable String message, Instant at) {
		if (!status.isFinal()) {
			throw new IllegalArgumentException("finish needs a final status, got " + status.wireName());
		}
		return changed(redis.execute(RedisScripts.FINISH, List.of(), keys.prefix(), id, status.wireName(),
				Long.toString(at.toEpochMilli()), message == null ? "0" : "1",
				message == null ? "" : truncate(message)));
	}

	@Override
	public boolean changeStatus(String id, TaskStatus from, TaskStatus to) {
		if (from.isFinal() || to.isFinal()) {
			throw new IllegalArgumentException("changeStatus moves between unfinished statuses, got "
					+ from.wireName() + " -> " + to.wireName() + "; use finish");
		}
		return changed(redis.execute(RedisScripts.CHANGE_STATUS, List.of(), keys.prefix(), id, from.wireName(),
				to.wireName()));
	}

	/** Back to queued, restarting from step 1: the interrupted run's steps and screenshots are removed. */
	@Override
	public void requeue(String id, String message) {
		redis.execute(RedisScripts.REQUEUE, List.of(), keys.prefix(), id, truncate(message));
	}

	/**
	 * Always empty: in Redis mode a task interrupted by a dead replica stays pending in the queue's consumer group and
	 * a live worker claims it ({@link RedisTaskQueue}), so a starting replica must not re-queue other replicas' work.
	 */
	@Override
	public List<Task> unfinished() {
		return List.of();
	}

	@Override
	public void saveStep(Step step, byte @Nullable [] screenshotPng) {
		long bytes = 0;
		if (screenshotPng != null && screenshotPng.length <= settings.maxScreenshotBytes()) {
			redis.execute((RedisCallback<Object>) connection -> {
				connection.stringCommands()
					.set(RedisSerializer.string().serialize(keys.shot(step.taskId(), step.n())), screenshotPng,
							Expiration.from(Duration.ofHours(settings.screenshotTtlHours())),
							SetOption.upsert());
				return null;
			});
			bytes = screenshotPng.length;
		}
		Step recorded = new Step(step.taskId(), step.n(), step.startedAt(), step.rawOutput(), step.action(),
				step.coordinates(), step.timings(), truncate(step.outcome()), bytes, step.promptTokens(),
				step.completionTokens());
		redis.execute(RedisScripts.SAVE_STEP, List.of(), keys.prefix(), step.taskId(), Integer.toString(step.n()),
				json.writeValueAsString(recorded), Long.toString(bytes));
	}

	/**
	 * Files go beside the step screenshots, with their TTL, so whichever replica runs or serves the task reads them;
	 * the content is written before its description, so a listed file is always whole.
	 */
	@Override
	public void saveFile(String taskId, TaskFile.Kind kind, TaskFile file, byte[] content) {
		redis.execute((RedisCallback<Object>) connection -> {
			connection.stringCommands()
				.set(RedisSerializer.string().serialize(keys.file(taskId, kind.dir(), file.name())), content,
						Expiration.from(Duration.ofHours(settings.screenshotTtlHours())), SetOption.upsert());
			return null;
		});
		String index = keys.files(taskId, kind.dir());
		redis.opsForHash().put(index, file.name(), json.writeValueAsString(file));
		redis.expire(index, Duration.ofHours(settings.screenshotTtlHours()));
	}

	@Override
	public List<TaskFile> files(String taskId, TaskFile.Kind kind) {
		List<TaskFile> files = new ArrayList<>();
		for (Object value : redis.opsForHash().values(keys.files(taskId, kind.dir()))) {
			files.add(json.readValue((String) value, TaskFile.class));
		}
		files.sort(java.util.Comparator.comparing(TaskFile::name));
		return files;
	}

	@Override
	public Optional<byte[]> fileContent(String taskId, TaskFile.Kind kind, String name) {
		if (!redis.opsForHash().hasKey(keys.files(taskId, kind.dir()), name)) {
			return Optional.empty();
		}
		return Optional.ofNullable(redis.execute((RedisCallback<byte[]>) connection -> connection.stringCommands()
			.get(RedisSerializer.string().serialize(keys.file(taskId, kind.dir(), name)))));
	}

	@Override
	public void deleteFiles(String taskId) {
		redis.execute(RedisScripts.DELETE_FILES, List.of(), keys.prefix(), taskId);
	}

	/** Frames go beside the step screenshots, with the same TTL and size cap, and leave with the task. */
	@Override
	public void saveFrame(String taskId, Frame frame, byte[] png) {
		if (png.length > settings.maxScreenshotBytes()) {
			return;
		}
		long capturedMs = frame.capturedAt().toEpochMilli();
		String member = frame.step() + ":" + capturedMs;
		redis.execute((RedisCallback<Object>) connection -> {
			connection.stringCommands()
				.set(RedisSerializer.string().serialize(keys.frame(taskId, member)), png,
						Expiration.from(Duration.ofHours(settings.screenshotTtlHours())), SetOption.upsert());
			return null;
		});
		redis.execute(RedisScripts.SAVE_FRAME, List.of(), keys.prefix(), taskId, member, Long.toString(capturedMs),
				Long.toString(png.length));
	}

	@Override
	public List<Frame> frames(String taskId) {
		Set<String> members = redis.opsForZSet().range(keys.frames(taskId), 0, -1);
		List<Frame> frames = new ArrayList<>();
		for (String member : members == null ? Set.<String>of() : members) {
			int colon = member.indexOf(':');
			frames.add(new Frame(Integer.parseInt(member.substring(0, colon)),
					Instant.ofEpochMilli(Long.parseLong(member.substring(colon + 1)))));
		}
		return frames;
	}

	@Override
	public Optional<byte[]> frame(String taskId, Frame frame) {
		String member = frame.step() + ":" + frame.capturedAt().toEpochMilli();
		byte[] png = redis.execute((RedisCallback<byte[]>) connection -> connection
			.stringCommands()
			.get(RedisSerializer.string().serialize(keys.frame(taskId, member))));
		return Optional.ofNullable(png);
	}

	@Override
	public List<Step> steps(String taskId) {
		Map<Object, Object> entries = redis.opsForHash().entries(keys.steps(taskId));
		List<Step> steps = new ArrayList<>();
		for (Object value : entries.values()) {
			steps.add(json.readValue((String) value, Step.class));
		}
		steps.sort((a, b) -> Integer.compare(a.n(), b.n()));
		return steps;
	}

	@Override
	public Optional<byte[]> screenshot(String taskId, int n) {
		byte[] png = redis.execute((RedisCallback<byte[]>) connection -> connection
			.stringCommands()
			.get(RedisSerializer.string().serialize(keys.shot(taskId, n))));
		return Optional.ofNullable(png);
	}

	@Override
	public StoredEvent append(TaskEvent event) {
		String data = json.writeValueAsString(event);
		Long id = redis.execute(RedisScripts.APPEND_EVENT, List.of(), keys.prefix(), event.taskId(), event.type(),
				data);
		if (id == null) {
			throw new IllegalStateException("Redis returned no id for an event of task " + event.taskId());
		}
		return new StoredEvent(id, event.taskId(), event.type(), data);
	}

	@Override
	public List<StoredEvent> events(String taskId, long afterId) {
		List<StoredEvent> events = new ArrayList<>();
		long after = afterId;
		while (true) {
			List<?> flat = redis.execute(RedisScripts.EVENTS, List.of(keys.events(taskId)), "0-" + (after + 1),
					Integer.toString(EVENTS_PER_READ));
			if (flat == null || flat.isEmpty()) {
				return events;
			}
			for (int i = 0; i + 2 < flat.size(); i += 3) {
				String entryId = (String) flat.get(i);
				long id = Long.parseLong(entryId.substring(entryId.indexOf('-') + 1));
				events.add(new StoredEvent(id, taskId, (String) flat.get(i + 1), (String) flat.get(i + 2)));
				after = id;
			}
			if (flat.size() / 3 < EVENTS_PER_READ) {
				return events;
			}
		}
	}

	/** The id of the newest event of a task, 0 when it has none. */
	long lastEventId(String taskId) {
		var last = redis.opsForStream().reverseRange(keys.events(taskId),
				Range.unbounded(),
				Limit.limit().count(1));
		if (last == null || last.isEmpty()) {
			return 0;
		}
		String entryId = last.get(0).getId().getValue();
		return Long.parseLong(entryId.substring(entryId.indexOf('-') + 1));
	}

	@Override
	public RetentionResult enforceRetention(Instant olderThan, int maxTasks, long maxBytes) {
		Set<ZSetOperations.TypedTuple<String>> finished = redis.opsForZSet().reverseRangeWithScores(keys.finished(), 0,
				-1);
		int kept = 0;
		long keptBytes = 0;
		int deleted = 0;
		long freed = 0;
		for (ZSetOperations.TypedTuple<String> entry : finished == null
				? Set.<ZSetOperations.TypedTuple<String>>of() : finished) {
			String id = entry.getValue();
			if (id == null) {
				continue;
			}
			Object bytesField = redis.opsForHash().get(keys.task(id), "shotBytes");
			long bytes = bytesField == null ? 0 : Long.parseLong((String) bytesField);
			Instant finishedAt = Instant.ofEpochMilli(entry.getScore() == null ? 0 : entry.getScore().longValue());
			if (finishedAt.isBefore(olderThan) || kept >= maxTasks || keptBytes + bytes > maxBytes) {
				Long removed = redis.execute(RedisScripts.DELETE, List.of(), keys.prefix(), id);
				if (removed == null || removed < 0) {
					// Listed but already gone: drop the stale index entry.
					redis.opsForZSet().remove(keys.finished(), id);
					continue;
				}
				deleted++;
				freed += removed;
			}
			else {
				kept++;
				keptBytes += bytes;
			}
		}
		return new RetentionResult(deleted, freed);
	}

	@Override
	public void ping() {
		redis.execute((RedisCallback<String>) connection -> connection.ping());
	}

	private Task task(Map<Object, Object> fields) {
		return new Task(text(fields, "id"), text(fields, "tenant"), TaskStatus.fromWire(text(fields, "status")),
				json.readValue(text(fields, "spec"), TaskSpec.class), instant(fields, "createdAt"),
				instant(fields, "startedAt"), instant(fields, "finishedAt"), Integer.parseInt(text(fields, "steps")),
				(String) fields.get("message"), Integer.parseInt(text(fields, "requeues")));
	}

	private static String text(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		if (value == null) {
			throw new IllegalStateException("task record lacks field '" + name + "': " + fields.keySet());
		}
		return (String) value;
	}

	private static @Nullable Instant instant(Map<Object, Object> fields, String name) {
		Object value = fields.get(name);
		return value == null ? null : Instant.ofEpochMilli(Long.parseLong((String) value));
	}

	private static boolean changed(@Nullable Long result) {
		return result != null && result == 1;
	}

	private static String truncate(String value) {
		return value.length() <= MAX_MESSAGE_CHARS ? value : value.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
	}

}
