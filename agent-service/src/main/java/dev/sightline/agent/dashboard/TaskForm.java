package dev.sightline.agent.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.OutputRequest;
import dev.sightline.agent.security.SecretInput;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.agent.task.WebhookRequest;

/**
 * The submit form as the browser posts it; {@link #toRequest()} makes the API's request of it, so the form is checked
 * by the same rules as {@code POST /api/v1/tasks}. Secret names and values come as parallel lists (one row each).
 *
 * @param targetType {@code browser} or {@code desktop}
 * @param outputSchema the JSON Schema of a structured result, as JSON text; blank for none
 * @param outputInstructions what the result should hold
 * @param secretTotpRows indexes (from 0) of the secret rows whose value is a TOTP seed (Base32) rather than typed as is
 * @param webhookUrl where the task's events are POSTed; blank for none
 * @param webhookEvents which events; all when none is ticked
 */
public record TaskForm(@Nullable String goal, @Nullable String targetType, @Nullable String url, @Nullable String display,
		@Nullable Integer viewportWidth, @Nullable Integer viewportHeight, @Nullable Integer maxSteps,
		@Nullable Integer timeoutSeconds, @Nullable List<String> secretNames, @Nullable List<String> secretValues,
		@Nullable String outputSchema, @Nullable String outputInstructions, @Nullable List<Integer> secretTotpRows,
		@Nullable String webhookUrl, @Nullable List<String> webhookEvents) {

	/** A form without one-time codes or a webhook. */
	public TaskForm(@Nullable String goal, @Nullable String targetType, @Nullable String url, @Nullable String display,
			@Nullable Integer viewportWidth, @Nullable Integer viewportHeight, @Nullable Integer maxSteps,
			@Nullable Integer timeoutSeconds, @Nullable List<String> secretNames, @Nullable List<String> secretValues,
			@Nullable String outputSchema, @Nullable String outputInstructions) {
		this(goal, targetType, url, display, viewportWidth, viewportHeight, maxSteps, timeoutSeconds, secretNames,
				secretValues, outputSchema, outputInstructions, null, null, null);
	}

	/** A form without a structured result. */
	public TaskForm(@Nullable String goal, @Nullable String targetType, @Nullable String url, @Nullable String display,
			@Nullable Integer viewportWidth, @Nullable Integer viewportHeight, @Nullable Integer maxSteps,
			@Nullable Integer timeoutSeconds, @Nullable List<String> secretNames, @Nullable List<String> secretValues) {
		this(goal, targetType, url, display, viewportWidth, viewportHeight, maxSteps, timeoutSeconds, secretNames,
				secretValues, null, null);
	}

	/** Secret rows the form offers. */
	static final int SECRET_ROWS = 3;

	static TaskForm empty() {
		return new TaskForm("", "browser", "", ":99", null, null, null, null, List.of(), List.of());
	}

	/** Form rows of secret names, padded to {@link #SECRET_ROWS}; values are never echoed back to the page. */
	public List<String> secretNameRows() {
		List<String> rows = new ArrayList<>(secretNames == null ? List.of() : secretNames);
		while (rows.size() < SECRET_ROWS) {
			rows.add("");
		}
		return rows;
	}

	public boolean desktop() {
		return "desktop".equals(targetType);
	}

	/** The API request; {@link IllegalArgumentException} when a secret row has a value but no name. */
	TaskRequest toRequest() {
		TaskTarget target;
		if (desktop()) {
			// A blank display asks for a display of the task's own (Xvfb).
			target = new TaskTarget.Desktop(blankToEmpty(display).isEmpty() ? null : blankToEmpty(display), null);
		}
		else {
			TaskTarget.Viewport viewport = viewportWidth == null && viewportHeight == null ? null
					: new TaskTarget.Viewport(viewportWidth == null ? 1280 : viewportWidth,
							viewportHeight == null ? 720 : viewportHeight);
			target = new TaskTarget.Browser(blankToEmpty(url), viewport, null);
		}
		return new TaskRequest(blankToEmpty(goal), target, maxSteps, timeoutSeconds, null, secrets(), null, output(),
				webhook());
	}

	/** Whether secret row {@code index} (from 0) is ticked as a TOTP seed; for the page to keep the tick. */
	public boolean totpRow(int index) {
		return secretTotpRows != null && secretTotpRows.contains(index);
	}

	/** Whether {@code event} is ticked; for the page to keep the tick. */
	public boolean webhookEvent(String event) {
		return webhookEvents != null && webhookEvents.contains(event);
	}

	private @Nullable WebhookRequest webhook() {
		List<String> events = webhookEvents == null ? List.of() : webhookEvents;
		if (blankToEmpty(webhookUrl).isEmpty()) {
			if (!events.isEmpty()) {
				throw new IllegalArgumentException("webhook events are ticked but webhook.url is empty; give the URL "
						+ "the events are POSTed to");
			}
			return null;
		}
		return new WebhookRequest(blankToEmpty(webhookUrl), events.isEmpty() ? null : events);
	}

	/** {@link IllegalArgumentException} when the schema is not JSON. */
	private @Nullable OutputRequest output() {
		if (blankToEmpty(outputSchema).isEmpty()) {
			return null;
		}
		try {
			return new OutputRequest(JsonMapper.shared().readTree(outputSchema),
					blankToEmpty(outputInstructions).isEmpty() ? null : outputInstructions.strip());
		}
		catch (JacksonException e) {
			throw new IllegalArgumentException("output schema is not JSON: " + e.getOriginalMessage());
		}
	}

	private @Nullable Map<String, SecretInput> secrets() {
		List<String> names = secretNames == null ? List.of() : secretNames;
		List<String> values = secretValues == null ? List.of() : secretValues;
		Map<String, SecretInput> secrets = new LinkedHashMap<>();
		for (int i = 0; i < Math.max(names.size(), values.size()); i++) {
			String name = i < names.size() ? names.get(i).strip() : "";
			String value = i < values.size() ? values.get(i) : "";
			if (name.isEmpty() && value.isEmpty()) {
				continue;
			}
			if (name.isEmpty()) {
				throw new IllegalArgumentException("secret row " + (i + 1) + " has a value but no name; the goal "
						+ "refers to a secret as {{name}}");
			}
			if (totpRow(i) && value.isEmpty()) {
				throw new IllegalArgumentException("secret '" + name + "' is marked as a one-time code seed but has "
						+ "no value; give the Base32 seed the site showed when two-factor login was set up");
			}
			// A seed is checked by the same rules as the API's {"totp": ...} (pattern here, Base32 when it is used).
			SecretInput input = totpRow(i) ? new SecretInput.TotpSeed(value, null, null, null)
					: new SecretInput.Plain(value);
			if (secrets.put(name, input) != null) {
				throw new IllegalArgumentException("secret '" + name + "' is given twice");
			}
		}
		return secrets.isEmpty() ? null : secrets;
	}

	/** Never the secret values: a logged or echoed form must not show them. */
	@Override
	public String toString() {
		return "TaskForm[goal=" + goal + ", targetType=" + targetType + ", url=" + url + ", display=" + display
				+ ", viewport=" + viewportWidth + "x" + viewportHeight + ", maxSteps=" + maxSteps + ", timeoutSeconds="
				+ timeoutSeconds + ", secretNames=" + secretNames + ", secretValues="
				+ (secretValues == null ? "null" : secretValues.size() + " hidden") + ", secretTotpRows="
				+ secretTotpRows + ", webhookUrl=" + webhookUrl + ", webhookEvents=" + webhookEvents + "]";
	}

		private static String blankToEmpty(@Nullable String value) {
		return value == null ? "" : value.strip();
	}

}
