package dev.sightline.vision.batching;

import dev.sightline.vision.VisionRuntimeException;

/**
 * The model's queue is full. The model server answers it with 429 and {@code Retry-After}; an in-process caller
 * ({@link ScheduledModel}) gets it after waiting {@link SchedulerLimits#queueWait()} for a place in vain.
 */
public class QueueFullException extends VisionRuntimeException {

	private final int maxQueue;

	private final long retryAfterSeconds;

	public QueueFullException(int maxQueue, long retryAfterSeconds) {
		super("the model's queue is full (" + maxQueue + " requests waiting, --max-queue; "
				+ "sightline.model.scheduler.max-queue in agent-service); retry after "
				+ retryAfterSeconds + " s");
		this.maxQueue = maxQueue;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public int maxQueue() {
		return maxQueue;
	}

	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

}
