package dev.sightline.agent.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where tasks, steps and screenshots live: {@code sightline.store.*}. The embedded store is an H2 database file and
 * an artifact directory, both under {@link #dir()}.
 *
 * @param dir data directory (database file {@code sightline.mv.db} and {@code artifacts/})
 * @param retentionDays finished tasks older than this are deleted
 * @param retentionMaxTasks at most this many finished tasks are kept (oldest deleted first)
 * @param retentionMaxMegabytes screenshots of finished tasks are kept within this many MiB (oldest deleted first)
 * @param retentionIntervalSeconds how often retention runs
 */
@Validated
@ConfigurationProperties(StoreSettings.PREFIX)
public record StoreSettings(@DefaultValue("./data") @NotBlank String dir,
		@DefaultValue("30") @Min(1) @Max(36_500) int retentionDays,
		@DefaultValue("10000") @Min(1) @Max(10_000_000) int retentionMaxTasks,
		@DefaultValue("2048") @Min(1) @Max(10_000_000) long retentionMaxMegabytes,
		@DefaultValue("600") @Min(1) @Max(86_400) int retentionIntervalSeconds) {

	public static final String PREFIX = "sightline.store";

}
