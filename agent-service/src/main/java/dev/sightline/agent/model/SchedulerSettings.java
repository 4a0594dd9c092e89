package dev.sightline.agent.model;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.sightline.vision.batching.SchedulerLimits;

/**
 * How the in-process model is shared between tasks, grounding and video questions: {@code sightline.model.scheduler.*}.
 * Every request goes through one continuous-batching scheduler, so concurrent tasks share decode passes.
 *
 * @param maxBatch sequences decoded together in one pass (default 16; the runtime's own limit, 32, caps it)
 * @param maxQueue requests that may wait for a place in the batch (default 64)
 * @param prefillChunkTokens most prompt tokens fed per pass beside running decodes (default 512): a new screenshot's
 * prompt is fed in chunks, so the running tasks keep getting tokens
 * @param queueWait how long a request waits for a place when the queue is full before it fails with "the model's
 * queue is full" (default 60 s)
 */
@Validated
@ConfigurationProperties(SchedulerSettings.PREFIX)
public record SchedulerSettings(@DefaultValue("16") @Min(1) @Max(1024) int maxBatch,
		@DefaultValue("64") @Min(1) @Max(100_000) int maxQueue,
		@DefaultValue("512") @Min(16) @Max(1 << 20) int prefillChunkTokens, @DefaultValue("60s") Duration queueWait) {

	public static final String PREFIX = "sightline.model.scheduler";

	public static final SchedulerSettings DEFAULTS = new SchedulerSettings(16, 64, 512, Duration.ofSeconds(60));

	public SchedulerSettings {
		if (queueWait.isNegative()) {
			throw new IllegalArgumentException(PREFIX + ".queue-wait must be zero or positive, got " + queueWait);
		}
	}

	public SchedulerLimits limits() {
		return new SchedulerLimits(maxQueue, maxBatch, prefillChunkTokens, queueWait);
	}

}
