package dev.sightline.agent.task;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;

import dev.sightline.vision.net.NavigationPolicy;

/**
 * What a browser task may reach, checked at submit so a request that cannot run is refused with 400 instead of
 * failing later: its {@code allowedHosts} may only narrow the server's {@code sightline.browser.allowed-hosts}, and
 * its start URL must pass the navigation policy the task will run under. Host names are not resolved here (an
 * answer now says nothing about the answer at run time); the browser's network enforcement checks every address
 * it connects to.
 */
final class HostRules {

	private static final Pattern HOST_PORT = Pattern
		.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]{1,253}|\\*\\.[A-Za-z0-9.-]{1,251})(:[0-9]{1,5})?");

	/** Dotted, decimal, octal and hex IPv4 forms browsers accept ({@code 127.1}, {@code 2130706433}, {@code 0x7f.1}). */
	private static final Pattern NUMERIC_HOST = Pattern
		.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");

	private record Entry(String host, int port) {

		boolean covers(Entry task) {
			return (task.host.equals(host) || task.host.endsWith("." + host)) && (port < 0 || port == task.port);
		}

	}

	private HostRules() {
	}

	/** The policy a browser task runs under: the server's lists narrowed by the task's {@code allowedHosts}. */
	static NavigationPolicy policyFor(List<String> serverAllowed, List<String> serverDenied, List<String> taskHosts) {
		NavigationPolicy policy = NavigationPolicy.forListedHosts(serverAllowed, serverDenied);
		return taskHosts.isEmpty() ? policy : policy.narrow(new NavigationPolicy(Set.copyOf(taskHosts), Set.of(), true));
	}

	/**
	 * Refuses a start URL the task's policy denies: scheme, deny and allow lists, and private or loopback addresses
	 * written as literals (names are checked where the browser connects).
	 */
	static void checkStartUrl(String url, NavigationPolicy policy) {
		NavigationPolicy.Decision decision = policy.withPrivateAddressesAllowed(true).check(url);
		if (decision.allowed() && !policy.privateAddressesAllowed() && isNumeric(hostOf(url))) {
			decision = policy.check(url);
		}
		if (!decision.allowed()) {
			throw new TaskProblem(HttpStatus.BAD_REQUEST, "target.url '" + url + "' is not allowed by the navigation "
					+ "policy (sightline.browser.allowed-hosts / denied-hosts and the task's allowedHosts): "
					+ decision.reason());
		}
	}

	static void checkNarrows(List<String> taskHosts, List<String> serverHosts) {
		Set<Entry> server = new HashSet<>();
		for (String entry : serverHosts) {
			server.add(parse(entry));
		}
		for (String entry : taskHosts) {
			String normalized = entry.strip().toLowerCase(Locale.ROOT);
			if (!HOST_PORT.matcher(normalized).matches()) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST,
						"allowedHosts entry '" + entry + "' must be host[:port] (e.g. 'example.com' or '127.0.0.1:8080')");
			}
			Entry task = parse(normalized);
			if (!server.isEmpty() && server.stream().noneMatch(s -> s.covers(task))) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry
						+ "' is not within the server's sightline.browser.allowed-hosts " + serverHosts
						+ "; a task may narrow the server's hosts, not widen them");
			}
			// An empty server list lets any public host through and no private one (NavigationPolicy.forListedHosts).
			if (server.isEmpty() && isLocal(task.host())) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry
						+ "' is a loopback or private address that the server does not allow "
						+ "(sightline.browser.allowed-hosts); a task may narrow the server's hosts, not widen them");
			}
		}
	}

	private static Entry parse(String entry) {
		String value = entry.strip().toLowerCase(Locale.ROOT);
		if (value.startsWith("*.")) {
			value = value.substring(2);
		}
		int colon = value.lastIndexOf(':');
		boolean hasPort = colon > 0 && !value.endsWith("]") && (value.startsWith("[") || value.indexOf(':') == colon);
		String host = hasPort ? value.substring(0, colon) : value;
		int port = -1;
		if (hasPort) {
			try {
				port = Integer.parseInt(value.substring(colon + 1));
			}
			catch (NumberFormatException e) {
				throw new TaskProblem(HttpStatus.BAD_REQUEST, "allowedHosts entry '" + entry + "' has no valid port");
			}
		}
		return new Entry(host.endsWith(".") ? host.substring(0, host.length() - 1) : host, port);
	}

	private static String hostOf(String url) {
		try {
			String host = new URI(url).getHost();
			return host == null ? "" : host.toLowerCase(Locale.ROOT);
		}
		catch (URISyntaxException e) {
			return "";
		}
	}

	private static boolean isNumeric(String host) {
		return host.startsWith("[") || NUMERIC_HOST.matcher(host).matches();
	}

	/**
	 * Loopback names, and address literals in a loopback, private, link-local, unique-local, carrier-grade NAT,
	 * multicast or unspecified range (typed checks on the parsed address, not prefixes of the text).
	 */
	static boolean isLocal(String host) {
		String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		if (h.equals("localhost") || h.endsWith(".localhost")) {
			return true;
		}
		if (!isNumeric(h)) {
			return false;
		}
		InetAddress address;
		try {
			address = InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
		}
		catch (UnknownHostException | RuntimeException e) {
			// Not an address the JDK parses (an odd numeric form): the browser may still read it as one.
			return true;
		}
		byte[] bytes = address.getAddress();
		return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
				|| address.isAnyLocalAddress() || address.isMulticastAddress()
				|| (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc)
				|| (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64)
				|| (bytes.length == 4 && bytes[0] == 0);
	}

}
