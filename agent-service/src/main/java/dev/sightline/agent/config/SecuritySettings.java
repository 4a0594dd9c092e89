package dev.sightline.agent.config;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the API: {@code sightline.security.*}. With no API keys the service runs in local mode: bound to
 * loopback, one tenant ({@code local}), no keys.
 *
 * @param apiKeys entries {@code tenant=key} (comma-separated in one environment variable
 * {@code SIGHTLINE_SECURITY_API_KEYS}); the keys are hashed at start and never kept in clear
 * @param requestsPerMinute API requests one key may make per minute
 * @param maxActiveTasks queued plus running tasks one tenant may have at once
 */
@Validated
@ConfigurationProperties(SecuritySettings.PREFIX)
public record SecuritySettings(@DefaultValue List<String> apiKeys,
		@DefaultValue("600") @Min(1) @Max(1_000_000) int requestsPerMinute,
		@DefaultValue("8") @Min(1) @Max(100_000) int maxActiveTasks) {

	public static final String PREFIX = "sightline.security";

	public boolean localMode() {
		return apiKeys.isEmpty();
	}

}
