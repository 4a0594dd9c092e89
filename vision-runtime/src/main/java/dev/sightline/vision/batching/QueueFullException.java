package dev.sightline.vision.batching;

import dev.sightline.vision.VisionRuntimeException;

/**
 * The model's queue is full. The model server answers it with 429 and {@code Retry-After}; an in-process caller can
 * wait that long and submit again.
 */
public class QueueFullException extends VisionRuntimeException {

	private final int maxQueue;

	private final long retryAfterSeconds;

	public QueueFullException(int maxQueue, long retryAfterSeconds) {
		super("the model's queue is full (" + maxQueue + " requests waiting, --max-queue); retry after "
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
