package dev.sightline.vision.server;

/** The model's queue is full: answered with 429 and a Retry-After estimated from recent request times. */
public class QueueFullException extends ApiException {

	private final long retryAfterSeconds;

	public QueueFullException(int maxQueue, long retryAfterSeconds) {
		super(429, "rate_limit_error", null, "queue_full", "the model's queue is full (" + maxQueue
				+ " requests waiting, --max-queue); retry after " + retryAfterSeconds + " s");
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

}
