package dev.sightline.agent.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret values of running tasks, in memory only: never stored, logged, published or sent to the model. The model
 * writes {@code {{name}}}; {@link #reveal} substitutes at the moment of typing, {@link #redact} is the safety net that
 * turns any value that slipped into text back into its placeholder.
 */
public final class SecretVault {

	public static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]{1,64})\\s*}}");

	private final Map<String, Map<String, String>> byTask = new ConcurrentHashMap<>();

	public void put(String taskId, Map<String, String> secrets) {
		if (!secrets.isEmpty()) {
			byTask.put(taskId, Map.copyOf(secrets));
		}
	}

	public boolean holds(String taskId) {
		return byTask.containsKey(taskId);
	}

	public void forget(String taskId) {
		byTask.remove(taskId);
	}

	/** {@code text} with every known {@code {{name}}} of the task replaced by its value; unknown names stay. */
	public String reveal(String taskId, String text) {
		Map<String, String> secrets = byTask.getOrDefault(taskId, Map.of());
		if (secrets.isEmpty()) {
			return text;
		}
		Matcher matcher = PLACEHOLDER.matcher(text);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			String value = secrets.get(matcher.group(1));
			matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	/** Whether {@code text} names a secret of the task that {@link #reveal} would substitute. */
	public boolean usesSecret(String taskId, String text) {
		Map<String, String> secrets = byTask.getOrDefault(taskId, Map.of());
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			if (secrets.containsKey(matcher.group(1))) {
				return true;
			}
		}
		return false;
	}

	/** {@code text} with every secret value of the task replaced by its placeholder. */
	public String redact(String taskId, String text) {
		String out = text;
		for (Map.Entry<String, String> secret : byTask.getOrDefault(taskId, Map.of()).entrySet()) {
			out = out.replace(secret.getValue(), "{{" + secret.getKey() + "}}");
		}
		return out;
	}

}
