package dev.sightline.agent.dashboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.TaskTarget;

/** Formatting the templates call as {@code @dashboardFormat.…}: times in UTC, targets, durations. */
@Component("dashboardFormat")
public class DashboardFormat {

	private final JsonMapper json;

	DashboardFormat(JsonMapper json) {
		this.json = json;
	}

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	public String time(@Nullable Instant instant) {
		return instant == null ? "" : TIME.format(instant);
	}

	public String target(TaskTarget target) {
		return switch (target) {
			case TaskTarget.Browser browser -> browser.url();
			case TaskTarget.Desktop desktop -> desktop.ownDisplay() ? "desktop (own Xvfb)" : "desktop " + desktop.display();
		};
	}

	/** Milliseconds as people read them: {@code 840 ms}, {@code 3.2 s}. */
	public String ms(double ms) {
		return ms < 1000 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f s", ms / 1000);
	}

	/** The step's marker in screenshot pixels as JSON for the page script, or null when the step has no point. */
	public @Nullable String marker(Step step) {
		StepMarker marker = StepMarker.of(step.coordinates());
		return marker == null ? null : json.writeValueAsString(Map.of("xPx", marker.xPx(), "yPx", marker.yPx()));
	}

	/** The parsed action as indented JSON, or empty. */
	public String action(Step step) {
		return step.action() == null ? "" : json.writerWithDefaultPrettyPrinter().writeValueAsString(step.action());
	}

	/** Wall time of a task so far or in all. */
	public String duration(@Nullable Instant from, @Nullable Instant to) {
		if (from == null) {
			return "";
		}
		return ms(java.time.Duration.between(from, to == null ? Instant.now() : to).toMillis());
	}

}
