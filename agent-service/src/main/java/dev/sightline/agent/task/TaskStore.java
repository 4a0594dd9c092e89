package dev.sightline.agent.task;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;



/**
 * Persistence of tasks, steps, screenshots and events. The embedded H2 store implements it; a Redis store can
 * replace it (the bean is {@code @ConditionalOnMissingBean}).
 */
public interface TaskStore {

	/** One page of a tenant's tasks, newest first. */
	record TaskPage(List<Task> items, long total, int page, int size) {
	}

	/** What one retention pass removed. */
	record RetentionResult(int tasksDeleted, long bytesFreed) {
	}

	void create(Task task);

	/** Removes a task that never ran (e.g. the queue refused it), with its events. */
	void delete(String id);

	Optional<Task> find(String id);

	/** The task if it belongs to {@code tenant}; empty otherwise, so other tenants cannot tell it exists. */
	default Optional<Task> find(String tenant, String id) {
		return find(id).filter(task -> task.tenant().equals(tenant));
	}

	TaskPage list(String tenant, @Nullable TaskStatus status, int page, int size);

	/** Tasks of a tenant that are neither finished nor failed: queued, running or awaiting approval. */
	int countActive(String tenant);

	/** Moves a queued task to running; false if it was no longer queued (e.g. cancelled meanwhile). */
	boolean markStarted(String id, Instant at);

	/** Moves a task to a final status unless it already has one; false if it had. */
	boolean finish(String id, TaskStatus status, @Nullable String message, Instant at);

	/**
	 * Moves a task from {@code from} to {@code to} (running ⇄ awaiting approval); false if it was not in {@code from}.
	 * A store that cannot do this refuses, and tasks that need approval then fail with the reason.
	 */
	default boolean changeStatus(String id, TaskStatus from, TaskStatus to) {
		throw new UnsupportedOperationException(
				getClass().getSimpleName() + " cannot pause tasks for approval; use the embedded store");
	}

	/** Puts an interrupted task back in the queue, counting the re-queue. */
	void requeue(String id, String message);

	/** Tasks left queued or running by a previous process. */
	List<Task> unfinished();

	void saveStep(Step step, byte @Nullable [] screenshotPng);

	/** A screenshot sampled between steps ({@code sightline.video.frames-between-steps-fps}). */
	record Frame(int step, Instant capturedAt) {
	}

	/** Keeps a frame sampled during step {@code frame.step()}; a store that keeps none ignores it. */
	default void saveFrame(String taskId, Frame frame, byte[] png) {
	}

	/** Frames sampled between steps, oldest first. */
	default List<Frame> frames(String taskId) {
		return List.of();
	}

	default Optional<byte[]> frame(String taskId, Frame frame) {
		return Optional.empty();
	}

	/**
	 * Keeps a file of the task (an input it was submitted with, or a download), replacing one of the same kind and
	 * name; a store that cannot keep files refuses.
	 */
	default void saveFile(String taskId, TaskFile.Kind kind, TaskFile file, byte[] content) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot keep task files");
	}

	/** The task's files of a kind, by name. */
	default List<TaskFile> files(String taskId, TaskFile.Kind kind) {
		return List.of();
	}

	default Optional<byte[]> fileContent(String taskId, TaskFile.Kind kind, String name) {
		return Optional.empty();
	}

	/** Removes the task's files, for a submit refused after they were stored. */
	default void deleteFiles(String taskId) {
	}

	List<Step> steps(String taskId);

	Optional<byte[]> screenshot(String taskId, int n);

	StoredEvent append(TaskEvent event);

	/** Events of a task with an id greater than {@code afterId}, oldest first. */
	List<StoredEvent> events(String taskId, long afterId);

	RetentionResult enforceRetention(Instant olderThan, int maxTasks, long maxBytes);

	/** A cheap query proving the store answers, for health. */
	void ping();

}
