package dev.sightline.agent.task;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.sightline.vision.net.HostRule;
import dev.sightline.vision.net.NavigationPolicy;
import dev.sightline.vision.net.SpecialAddresses;

/**
 * A task's {@code allowedHosts} may only narrow the server's reach: a loopback or private host is accepted only when
 * the server lists it in {@code sightline.browser.allowed-hosts}.
 */
final class HostRules {

	private HostRules() {
	}

	static void checkNarrows(List<String> taskHosts, List<String> serverHosts) {
		List<HostRule> server = NavigationPolicy.parse(serverHosts);
		for (String entry : taskHosts) {
			HostRule rule;
			try {
				rule = NavigationPolicy.parse(List.of(entry)).getFirst();
			}
			catch (IllegalArgumentException | java.util.NoSuchElementException ex) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry + "' must be host[:port], "
						+ "an IP address or a CIDR range (e.g. 'example.com', '127.0.0.1:8080', '10.0.0.0/8'): "
						+ (ex.getMessage() == null ? "empty" : ex.getMessage()));
			}
			String local = localKind(rule);
			if (local != null && server.stream().noneMatch(listed -> listed.covers(rule))) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry
						+ "' is a loopback or private address (" + local + ") that the server does not allow "
						+ "(sightline.browser.allowed-hosts); a task may narrow the server's hosts, not widen them");
			}
		}
	}

	/** What makes a rule reach this host or its networks, judged on typed rules (never on a prefix of the text). */
	static @Nullable String localKind(HostRule rule) {
		return switch (rule) {
			case HostRule.Addresses addresses -> SpecialAddresses.kindWithin(addresses.range());
			case HostRule.Name name -> name.name().equals("localhost") || name.name().endsWith(".localhost")
					? "loopback" : null;
		};
	}

}
