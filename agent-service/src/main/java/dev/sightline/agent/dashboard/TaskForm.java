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

/**
 * The submit form as the browser posts it; {@link #toRequest()} makes the API's request of it, so the form is checked
 * by the same rules as {@code POST /api/v1/tasks}. Secret names and values come as parallel lists (one row each).
 *
 * @param targetType {@code browser} or {@code desktop}
 * @param outputSchema the JSON Schema of a structured result, as JSON text; blank for none
 * @param outputInstructions what the result should hold
 */
public record TaskForm(@Nullable String goal, @Nullable String targetType, @Nullable String url, @Nullable String display,
		@Nullable Integer viewportWidth, @Nullable Integer viewportHeight, @Nullable Integer maxSteps,
		@Nullable Integer timeoutSeconds, @Nullable List<String> secretNames, @Nullable List<String> secretValues,
		@Nullable String outputSchema, @Nullable String outputInstructions) {

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
		Map<String, String> secrets = secrets();
		return new TaskRequest(blankToEmpty(goal), target, maxSteps, timeoutSeconds, null,
				secrets == null ? null : SecretInput.plain(secrets), null, output(), null);
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

	private @Nullable Map<String, String> secrets() {
		List<String> names = secretNames == null ? List.of() : secretNames;
		List<String> values = secretValues == null ? List.of() : secretValues;
		Map<String, String> secrets = new LinkedHashMap<>();
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
			if (secrets.put(name, value) != null) {
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
				+ (secretValues == null ? "null" : secretValues.size() + " hidden") + "]";
	}

		private static String blankToEmpty(@Nullable String value) {
		return value == null ? "" : value.strip();
	}

}
