package dev.sightline.agent.webhook;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery: {@code sightline.webhooks.*}.
 *
 * @param tenants per tenant: the signing secret, and a default URL and events for tasks that name none
 * @param retryForSeconds how long a delivery is retried after its event before it is given up
 * @param initialBackoffMs wait before the first retry; each further retry waits twice as long (with jitter)
 * @param maxBackoffMs longest wait between two attempts
 * @param timeoutMs connect and read timeout of one attempt (the whole attempt may take twice this)
 * @param pollIntervalMs how often due deliveries are looked for
 */
@Validated
@ConfigurationProperties("sightline.webhooks")
public record WebhookSettings(@DefaultValue({}) Map<String, @Valid Tenant> tenants,
		@DefaultValue("3600") @Min(10) @Max(604_800) long retryForSeconds,
		@DefaultValue("1000") @Min(10) @Max(3_600_000) long initialBackoffMs,
		@DefaultValue("300000") @Min(10) @Max(86_400_000) long maxBackoffMs,
		@DefaultValue("10000") @Min(100) @Max(120_000) long timeoutMs,
		@DefaultValue("500") @Min(10) @Max(60_000) long pollIntervalMs) {

	/**
	 * @param secret the HMAC-SHA256 key the tenant verifies signatures with, at least 32 characters
	 * @param url webhook of the tenant's tasks that name none (optional)
	 * @param events events of that default webhook; both when absent
	 */
	public record Tenant(@NotNull(message = "sightline.webhooks.tenants.*.secret is required") @Size(min = 32,
			message = "sightline.webhooks.tenants.*.secret must be at least 32 characters") String secret,
			@Nullable @Pattern(regexp = "(?i)https?://.+", message = "must be an http or https URL") String url,
			@Nullable List<@Pattern(regexp = "finished|awaiting_approval",
					message = "must be finished or awaiting_approval") String> events) {

		@Override
		public String toString() {
			return "Tenant[url=" + url + ", events=" + events + "]";
		}

	}

	public @Nullable Tenant tenant(String name) {
		return tenants.get(name);
	}

}
