package dev.sightline.vision.batching;

import java.time.Duration;

/**
 * How a {@link Scheduler} shares its model.
 *
 * @param maxQueue requests that may wait for the model (default 64); beyond it the model server answers 429 and an
 *        in-process caller waits up to {@code queueWait}
 * @param maxBatch sequences decoded together (default 16; the runtime's own limit lowers it)
 * @param prefillChunkTokens most prompt tokens fed per step beside running requests (default 512)
 * @param queueWait how long an in-process caller ({@link ScheduledModel}) waits for a place in a full queue before
 *        it gets {@link QueueFullException} (default 60 s; zero fails at once, as the model server does)
 */
public record SchedulerLimits(int maxQueue, int maxBatch, int prefillChunkTokens, Duration queueWait) {

	public static final SchedulerLimits DEFAULTS = new SchedulerLimits(64, 16, Scheduler.DEFAULT_PREFILL_CHUNK_TOKENS,
			Duration.ofSeconds(60));

	public SchedulerLimits {
		if (maxQueue < 1) {
			throw new IllegalArgumentException("max-queue must be at least 1, got " + maxQueue);
		}
		if (maxBatch < 1) {
			throw new IllegalArgumentException("max-batch must be at least 1, got " + maxBatch);
		}
		if (prefillChunkTokens < 1) {
			throw new IllegalArgumentException("prefill-chunk-tokens must be at least 1, got " + prefillChunkTokens);
		}
		if (queueWait == null || queueWait.isNegative()) {
			throw new IllegalArgumentException("queue-wait must be zero or positive, got " + queueWait);
		}
	}

	public SchedulerLimits withMaxBatch(int value) {
		return new SchedulerLimits(maxQueue, value, prefillChunkTokens, queueWait);
	}

	public SchedulerLimits withMaxQueue(int value) {
		return new SchedulerLimits(value, maxBatch, prefillChunkTokens, queueWait);
	}

	public SchedulerLimits withQueueWait(Duration value) {
		return new SchedulerLimits(maxQueue, maxBatch, prefillChunkTokens, value);
	}

}
