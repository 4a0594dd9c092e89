package dev.sightline.agent.task;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.sightline.net.HostRule;
import dev.sightline.net.NavigationPolicy;
import dev.sightline.net.SpecialAddresses;

/**
 * What a browser task may reach, checked at submit so a request that cannot run is refused with 400 instead of
 * failing later: its {@code allowedHosts} may only narrow the server's {@code sightline.browser.allowed-hosts}, and
 * its start URL must pass the navigation policy the task will run under. Entries are judged as typed
 * {@link HostRule}s, never as prefixes of text. Host names are not resolved here (an answer now says nothing about
 * the answer at run time); the browser's filtering proxy checks every address it connects to.
 */
public final class HostRules {

	private HostRules() {
	}

	/**
	 * The policy a browser task runs under: the server's lists narrowed by the task's {@code allowedHosts}. The same
	 * policy is checked at submit and given to the task's browser, so the two never disagree.
	 */
	public static NavigationPolicy policyFor(List<String> serverAllowed, List<String> serverDenied, List<String> taskHosts) {
		NavigationPolicy policy = NavigationPolicy.forListedHosts(serverAllowed, serverDenied);
		return taskHosts.isEmpty() ? policy : policy.narrow(new NavigationPolicy(Set.copyOf(taskHosts), Set.of(), true));
	}

	/**
	 * Refuses a start URL the task's policy denies on what can be known without a lookup: scheme, deny and allow
	 * lists, numeric hosts in any form, {@code localhost} names (see {@link NavigationPolicy#checkAsWritten}).
	 */
	static void checkStartUrl(String url, NavigationPolicy policy) {
		NavigationPolicy.Decision decision = policy.checkAsWritten(url);
		if (!decision.allowed()) {
			throw new TaskException.Invalid("target.url '" + url + "' is not allowed by the navigation "
					+ "policy (sightline.browser.allowed-hosts / denied-hosts and the task's allowedHosts): "
					+ decision.reason());
		}
	}

	/**
	 * Refuses a task entry that is not a host rule, one outside a non-empty server list (a task may narrow the
	 * server's hosts, never widen them), and a loopback or private one the server does not list.
	 */
	static void checkNarrows(List<String> taskHosts, List<String> serverHosts) {
		List<HostRule> server = NavigationPolicy.parse(serverHosts);
		for (String entry : taskHosts) {
			HostRule rule;
			try {
				rule = NavigationPolicy.parse(List.of(entry)).getFirst();
			}
			catch (IllegalArgumentException | NoSuchElementException ex) {
				throw new TaskException.Invalid("allowedHosts entry '" + entry + "' must be host[:port], "
						+ "an IP address or a CIDR range (e.g. 'example.com', '127.0.0.1:8080', '10.0.0.0/8'): "
						+ (ex.getMessage() == null ? "empty" : ex.getMessage()));
			}
			boolean covered = server.stream().anyMatch(listed -> listed.covers(rule));
			String local = localKind(rule);
			if (!server.isEmpty() && !covered) {
				throw new TaskException.Invalid("allowedHosts entry '" + entry
						+ "' is not within the server's sightline.browser.allowed-hosts " + serverHosts
						+ (local == null ? "" : " (it is a loopback or private address: " + local + ")")
						+ "; a task may narrow the server's hosts, not widen them");
			}
			// An empty server list lets any public host through and no special one (NavigationPolicy.forListedHosts).
			if (local != null && !covered) {
				throw new TaskException.Invalid("allowedHosts entry '" + entry
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
