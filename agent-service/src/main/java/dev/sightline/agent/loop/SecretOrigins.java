package dev.sightline.agent.loop;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.net.NavigationPolicy;

/**
 * Where a task's secrets may be typed: into pages of the hosts the task allows ({@code allowedHosts}), or, when it
 * lists none, of its start page's host only. A page that navigated the agent elsewhere (a phishing redirect, an
 * injected link) does not get the password typed into it. Desktop targets have no pages; their secrets are bound to
 * the display the operator allowed.
 */
final class SecretOrigins {

	private SecretOrigins() {
	}

	/** Why a secret may not be typed into the page at {@code pageUrl}, or null when it may. */
	static @Nullable String refusal(TaskSpec spec, Optional<String> pageUrl) {
		if (pageUrl.isEmpty()) {
			return null;
		}
		Set<String> hosts = hosts(spec);
		if (hosts.isEmpty()) {
			return null;
		}
		// A match of the host as written, no DNS: the browser's proxy judged reachability when the page loaded.
		if (new NavigationPolicy(hosts, Set.of(), true).listsHostOf(pageUrl.get())) {
			return null;
		}
		return "a secret may only be typed into pages of " + String.join(", ", hosts) + " (the task's allowedHosts, "
				+ "else its start page's host); the page is " + origin(pageUrl.get());
	}

	private static Set<String> hosts(TaskSpec spec) {
		Set<String> hosts = new LinkedHashSet<>(spec.allowedHosts());
		if (hosts.isEmpty() && spec.target() instanceof TaskTarget.Browser browser) {
			String host = URI.create(browser.url().strip()).getHost();
			if (host != null) {
				hosts.add(host);
			}
		}
		return hosts;
	}

	private static String origin(String url) {
		try {
			URI uri = URI.create(url);
			return uri.getScheme() + "://" + uri.getRawAuthority();
		}
		catch (IllegalArgumentException e) {
			return "not a valid URL";
		}
	}

}
