package dev.sightline.agent.task;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A task as stored and as the API shows it.
 *
 * @param tenant owner; other tenants never see it
 * @param steps steps recorded so far
 * @param message why it ended (failure reason, timeout, cancel) or the model's final words
 * @param requeues how many times it was re-queued after a restart interrupted it
 */
public record Task(String id, String tenant, TaskStatus status, TaskSpec spec, Instant createdAt,
		@Nullable Instant startedAt, @Nullable Instant finishedAt, int steps, @Nullable String message, int requeues) {

	public Task withStatus(TaskStatus value) {
		return new Task(id, tenant, value, spec, createdAt, startedAt, finishedAt, steps, message, requeues);
	}

}
