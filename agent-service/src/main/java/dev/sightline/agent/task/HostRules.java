package dev.sightline.agent.task;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

/**
 * A task's {@code allowedHosts} may only narrow the server's reach: a loopback or private host is accepted only when
 * the server lists it in {@code sightline.browser.allowed-hosts}.
 */
final class HostRules {

	private static final Pattern HOST_PORT = Pattern
		.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]{1,253}|\\*\\.[A-Za-z0-9.-]{1,251})(:[0-9]{1,5})?");

	private HostRules() {
	}

	static void checkNarrows(List<String> taskHosts, List<String> serverHosts) {
		for (String entry : taskHosts) {
			String normalized = entry.strip().toLowerCase(Locale.ROOT);
			if (!HOST_PORT.matcher(normalized).matches()) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST,
						"allowedHosts entry '" + entry + "' must be host[:port] (e.g. 'example.com' or '127.0.0.1:8080')");
			}
			String host = normalized.startsWith("[") ? normalized.substring(0, normalized.indexOf(']') + 1)
					: normalized.contains(":") ? normalized.substring(0, normalized.indexOf(':')) : normalized;
			boolean listed = serverHosts.stream()
				.map(h -> h.strip().toLowerCase(Locale.ROOT))
				.anyMatch(h -> h.equals(normalized) || h.equals(host));
			if (isLocal(host) && !listed) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry
						+ "' is a loopback or private address that the server does not allow "
						+ "(sightline.browser.allowed-hosts); a task may narrow the server's hosts, not widen them");
			}
		}
	}

	static boolean isLocal(String host) {
		String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.startsWith("127.")
				|| h.startsWith("10.") || h.startsWith("192.168.") || h.startsWith("169.254.") || h.equals("0.0.0.0")
				|| h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80:")) {
			return true;
		}
		if (h.startsWith("172.")) {
			String[] parts = h.split("\\.");
			if (parts.length > 1 && parts[1].matches("[0-9]{1,3}")) {
				int second = Integer.parseInt(parts[1]);
				return second >= 16 && second <= 31;
			}
		}
		return false;
	}

}
