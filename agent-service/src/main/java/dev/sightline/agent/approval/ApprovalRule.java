package dev.sightline.agent.approval;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One approval rule: actions of kind {@code on} pause the task when the page's host is one of {@code hosts} (any
 * host when empty).
 *
 * @param on {@code download} (a click on a link that downloads a file), {@code submit} (a click on a form's submit
 * control, or Enter in a form field), {@code click} (any click), {@code type} (typing into a field) or
 * {@code navigate} (the navigate action; its destination's host is matched)
 * @param hosts {@code host[:port]} entries, lower case; empty matches every host
 */
public record ApprovalRule(Kind on, List<String> hosts) {

	private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9a-f:]+\\](:[0-9]{1,5})?");

	/** What a rule watches. */
	public enum Kind {

		DOWNLOAD, SUBMIT, CLICK, TYPE, NAVIGATE;

		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Kind parse(String value) {
			for (Kind kind : values()) {
				if (kind.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) {
					return kind;
				}
			}
			throw new IllegalArgumentException("approval rule 'on' must be one of download, submit, click, type, "
					+ "navigate; got '" + value + "'");
		}

	}

	public ApprovalRule {
		if (on == null) {
			throw new IllegalArgumentException(
					"approval rule needs 'on' (one of download, submit, click, type, navigate)");
		}
		hosts = hosts == null ? List.of() : hosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
		if (hosts.size() > 256) {
			throw new IllegalArgumentException("approval rule lists " + hosts.size() + " hosts; at most 256");
		}
		for (String host : hosts) {
			if (!HOST.matcher(host).matches()) {
				throw new IllegalArgumentException("approval rule host '" + host + "' must look like host or host:port");
			}
		}
	}

	/** Binds {@code on} from configuration text ({@code download}, {@code submit}, ...). */
	public static ApprovalRule of(String on, @Nullable List<String> hosts) {
		return new ApprovalRule(Kind.parse(on), hosts);
	}

	/** Whether {@code host} (with or without port) is one this rule covers. */
	boolean coversHost(@Nullable String hostAndPort) {
		if (hosts.isEmpty()) {
			return true;
		}
		if (hostAndPort == null || hostAndPort.isEmpty()) {
			return false;
		}
		String lower = hostAndPort.toLowerCase(Locale.ROOT);
		int colon = lower.lastIndexOf(':');
		String bare = colon > 0 && !lower.endsWith("]") ? lower.substring(0, colon) : lower;
		return hosts.contains(lower) || hosts.contains(bare);
	}

	/** How the rule reads in messages: "submit on shop.example.com". */
	public String describe() {
		return on.wireName() + (hosts.isEmpty() ? " on any host" : " on " + String.join(", ", hosts));
	}

}
