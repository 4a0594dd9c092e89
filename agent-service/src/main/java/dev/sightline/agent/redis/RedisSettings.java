package dev.sightline.agent.redis;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How replicas share work in Redis mode: {@code sightline.redis.*}. The connection itself is
 * {@code spring.data.redis.*}.
 *
 * @param keyPrefix prefix of every key Sightline writes, so several installations can share one Redis
 * @param pollIntervalMs how long an idle worker waits between reads of the queue
 * @param heartbeatIntervalMs how often a worker tells Redis it still runs a task (resets the entry's idle time)
 * @param claimIdleMs a task whose worker sent no heartbeat for this long is claimed by another worker; keep it several
 * heartbeats long so a slow step is never stolen
 * @param claimIntervalMs how often a worker looks for tasks of dead workers
 * @param maxRestarts a task whose worker died this many times is failed instead of restarted again
 * @param screenshotTtlHours screenshots expire after this many hours (retention may delete them sooner)
 * @param maxScreenshotBytes larger screenshots are not stored (the step records 0 bytes)
 */
@Validated
@ConfigurationProperties(RedisSettings.PREFIX)
public record RedisSettings(
		@DefaultValue("sightline") @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}",
				message = "must match [A-Za-z0-9_.-]{1,64}") String keyPrefix,
		@DefaultValue("50") @Min(1) @Max(10_000) long pollIntervalMs,
		@DefaultValue("5000") @Min(100) @Max(600_000) long heartbeatIntervalMs,
		@DefaultValue("30000") @Min(500) @Max(86_400_000) long claimIdleMs,
		@DefaultValue("5000") @Min(100) @Max(3_600_000) long claimIntervalMs,
		@DefaultValue("2") @Min(0) @Max(100) int maxRestarts, @DefaultValue("168") @Min(1) @Max(87_600) int screenshotTtlHours,
		@DefaultValue("8388608") @Min(0) @Max(536_870_912) long maxScreenshotBytes) {

	public static final String PREFIX = "sightline.redis";

	public RedisSettings {
		if (claimIdleMs < 2 * heartbeatIntervalMs) {
			throw new IllegalArgumentException("sightline.redis.claim-idle-ms (" + claimIdleMs
					+ ") must be at least twice sightline.redis.heartbeat-interval-ms (" + heartbeatIntervalMs
					+ "), or running tasks would be stolen from live workers");
		}
	}

}
