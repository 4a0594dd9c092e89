package dev.sightline.agent.security;

import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secret values of running tasks, in memory only: never stored, logged, published or sent to the model. The model
 * writes {@code {{name}}}; {@link #reveal} substitutes at the moment of typing, {@link #redact} is the safety net that
 * turns any value that slipped into text back into its placeholder.
 * <p>
 * A value that is a TOTP key URI ({@code otpauth://totp/...}, how {@link SecretInput.TotpSeed} is carried) reveals as
 * the code of the moment, never the seed; redaction covers the seed (like any value) and the codes of the periods
 * around now (whole only: four digits of a code are too common in a page to redact).
 */
public final class SecretVault {

	public static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]{1,64})\\s*}}");

	/** Shortest fragment of a secret that {@link #redact} replaces; shorter runs are too common to tell apart. */
	public static final int MIN_FRAGMENT_CHARS = 4;

	/** Per task: name to what is typed and redacted (a TOTP seed for a one-time code). */
	private final Map<String, Map<String, String>> byTask = new ConcurrentHashMap<>();

	/** Per task: name to its code generator, for the names that are TOTP seeds. */
	private final Map<String, Map<String, Totp>> totpByTask = new ConcurrentHashMap<>();

	private final Clock clock;

	public SecretVault() {
		this(Clock.systemUTC());
	}

	/** @param clock the time one-time codes are made for */
	public SecretVault(Clock clock) {
		this.clock = clock;
	}

	/** @param secrets name to value, where a TOTP seed is its {@code otpauth://totp/} key URI */
	public void put(String taskId, Map<String, String> secrets) {
		if (secrets.isEmpty()) {
			return;
		}
		Map<String, String> values = new HashMap<>();
		Map<String, Totp> totps = new HashMap<>();
		secrets.forEach((name, value) -> {
			if (value.startsWith(Totp.URI_PREFIX)) {
				Totp totp = Totp.parseUri(value);
				totps.put(name, totp);
				values.put(name, totp.seedBase32());
			}
			else {
				values.put(name, value);
			}
		});
		totpByTask.put(taskId, Map.copyOf(totps));
		byTask.put(taskId, Map.copyOf(values));
	}

	public boolean holds(String taskId) {
		return byTask.containsKey(taskId);
	}

	public void forget(String taskId) {
		byTask.remove(taskId);
		totpByTask.remove(taskId);
	}

	/** {@code text} with every known {@code {{name}}} of the task replaced by its value; unknown names stay. */
	public String reveal(String taskId, String text) {
		Map<String, String> secrets = byTask.getOrDefault(taskId, Map.of());
		if (secrets.isEmpty()) {
			return text;
		}
		Map<String, Totp> totps = totpByTask.getOrDefault(taskId, Map.of());
		Matcher matcher = PLACEHOLDER.matcher(text);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			Totp totp = totps.get(matcher.group(1));
			String value = totp != null ? totp.code(clock.instant()) : secrets.get(matcher.group(1));
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

	/**
	 * {@code text} with every whole secret value of the task replaced by its placeholder, fragments left alone: for the
	 * model's answer before it is acted on, where a value the model copied from the page must still be typed as the
	 * secret it is, but a word sharing a few letters with one must not become it. Never for text that is stored,
	 * logged, published or sent: that is {@link #redact}.
	 */
	public String redactWhole(String taskId, String text) {
		String out = text;
		for (Map.Entry<String, String> secret : byTask.getOrDefault(taskId, Map.of()).entrySet()) {
			if (!secret.getValue().isEmpty()) {
				out = out.replace(secret.getValue(), "{{" + secret.getKey() + "}}");
			}
		}
		return redactCodes(taskId, out);
	}

	/** Whole one-time codes of the task's TOTP secrets (of this, the previous and the next period) as placeholders. */
	private String redactCodes(String taskId, String text) {
		String out = text;
		for (Map.Entry<String, Totp> totp : totpByTask.getOrDefault(taskId, Map.of()).entrySet()) {
			for (String code : totp.getValue().codesAround(clock.instant())) {
				// Only as a number of its own: the same digits inside a longer number are not the code.
				out = out.replaceAll("(?<![0-9])" + code + "(?![0-9])",
						Matcher.quoteReplacement("{{" + totp.getKey() + "}}"));
			}
		}
		return out;
	}

	/**
	 * {@code text} with every secret value of the task, and every fragment of one at least
	 * {@value #MIN_FRAGMENT_CHARS} characters long (a prefix cut by a label, a suffix, a middle), replaced by its
	 * placeholder. Exact-value matching alone lets {@code "hunter2-se"} (a truncated label) through. Placeholders
	 * already in the text are left alone. Overlapping fragments are merged, so the run replaced may be wider than
	 * one fragment: over-redaction is the safe side. Secrets shorter than the fragment length match whole only.
	 */
	public String redact(String taskId, String text) {
		Map<String, String> secrets = byTask.getOrDefault(taskId, Map.of());
		if (secrets.isEmpty() || text.isEmpty()) {
			return text;
		}
		text = redactCodes(taskId, text);
		// owner[i]: the secret name whose fragment covers text character i, or null.
		String[] owner = new String[text.length()];
		boolean[] placeholder = new boolean[text.length()];
		Matcher existing = PLACEHOLDER.matcher(text);
		while (existing.find()) {
			Arrays.fill(placeholder, existing.start(), existing.end(), true);
		}
		for (Map.Entry<String, String> secret : secrets.entrySet()) {
			String value = secret.getValue();
			if (value.isEmpty()) {
				continue;
			}
			int window = Math.min(MIN_FRAGMENT_CHARS, value.length());
			Set<String> fragments = new HashSet<>();
			if (value.length() < MIN_FRAGMENT_CHARS) {
				fragments.add(value);
			}
			else {
				for (int i = 0; i + window <= value.length(); i++) {
					fragments.add(value.substring(i, i + window));
				}
			}
			for (int i = 0; i + window <= text.length(); i++) {
				if (fragments.contains(text.substring(i, i + window))) {
					for (int j = i; j < i + window; j++) {
						if (!placeholder[j] && owner[j] == null) {
							owner[j] = secret.getKey();
						}
					}
				}
			}
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length();) {
			String name = owner[i];
			if (name == null) {
				out.append(text.charAt(i++));
				continue;
			}
			while (i < text.length() && name.equals(owner[i])) {
				i++;
			}
			out.append("{{").append(name).append("}}");
		}
		return out.toString();
	}

}
