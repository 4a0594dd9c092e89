package dev.sightline.agent.task;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Where a task's events are POSTed.
 *
 * @param url an http(s) URL the browser's network policy allows
 * @param events which events: {@code finished}, {@code awaiting_approval}; both when absent or empty
 */
public record WebhookRequest(
		@NotBlank(message = "webhook.url is required") @Size(max = 2048,
				message = "webhook.url must be at most 2048 characters") @Pattern(regexp = "(?i)https?://.+",
						message = "webhook.url must be an http or https URL") String url,
		@Nullable List<@NotNull(message = "webhook.events entries must be finished or awaiting_approval") @Pattern(
				regexp = "finished|awaiting_approval",
				message = "webhook.events entries must be finished or awaiting_approval") String> events) {

	public static final List<String> EVENTS = List.of("finished", "awaiting_approval");

	public List<String> eventsOrAll() {
		return events == null || events.isEmpty() ? EVENTS : events;
	}

}
