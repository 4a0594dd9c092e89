package dev.sightline.agent.task;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;



/**
 * A task as the API shows it; secrets only by name.
 *
 * @param output the structured result asked for, if any
 * @param result the structured result, validated against {@code output.schema}, once the task has one (only on
 * {@code GET /tasks/{id}}, not in lists)
 */
public record TaskView(String id, TaskStatus status, String goal, TaskTarget target, int maxSteps, int timeoutSeconds,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt, int steps,
		@Nullable String message, List<String> secretNames, List<String> allowedHosts, int requeues,
		@Nullable OutputRequest output,
		@io.swagger.v3.oas.annotations.media.Schema(description = "the structured result, validated against "
				+ "output.schema") @Nullable JsonNode result) {

	public static TaskView of(Task task) {
		return of(task, null);
	}

	public static TaskView of(Task task, @Nullable JsonNode result) {
		return new TaskView(task.id(), task.status(), task.spec().goal(), task.spec().target(),
				task.spec().maxSteps(), task.spec().timeoutSeconds(), task.createdAt(), task.startedAt(),
				task.finishedAt(), task.steps(), task.message(), task.spec().secretNames(),
				task.spec().allowedHosts(), task.requeues(), task.spec().output(), result);
	}

	/** One page of {@code GET /tasks}. */
	public record Page(List<TaskView> items, long total, int page, int size) {
	}

}
