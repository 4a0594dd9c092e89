package dev.sightline.vision.net;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Which URLs may be loaded: by a task's browser, checked on every request and navigation the page makes (route
 * interception in the tools' browser executor), not only the first URL; and by the model server for remote images,
 * checked on every redirect hop.
 *
 * <p>
 * Rules, in order: only {@code http}/{@code https} (and {@code about:blank}) are loadable, so {@code file:},
 * {@code chrome:}, {@code javascript:}, {@code data:} and {@code blob:} navigations are refused; a host on the deny
 * list is refused; with a non-empty allow list only listed hosts pass; a host that is, or resolves to, a private,
 * loopback, link-local, unique-local, CGNAT, multicast or unspecified address is refused unless
 * {@code privateAddressesAllowed} (tests opt in explicitly). Entries are {@code host} (the host and its subdomains,
 * any port) or {@code host:port}.
 *
 * @param allowHosts when non-empty, the only hosts that may be loaded
 * @param denyHosts hosts never loaded
 * @param privateAddressesAllowed whether private, loopback and link-local addresses may be loaded
 */
public record NavigationPolicy(Set<String> allowHosts, Set<String> denyHosts, boolean privateAddressesAllowed) {

	/** The verdict on one URL; {@code reason} says which rule decided. */
	public record Decision(boolean allowed, String reason) {
	}

	public NavigationPolicy {
		allowHosts = normalise(allowHosts);
		denyHosts = normalise(denyHosts);
	}

	/** Any public http(s) host; nothing private. */
	public static NavigationPolicy defaults() {
		return new NavigationPolicy(Set.of(), Set.of(), false);
	}

	/**
	 * A deployment's policy from its host lists: listed hosts ({@code host} or {@code host:port}) are the only
	 * reachable ones when any are listed, and private addresses pass only when one of them names a private host
	 * (a local test server, an intranet site).
	 */
	public static NavigationPolicy forListedHosts(Collection<String> allowedHosts, Collection<String> deniedHosts) {
		Set<String> allowed = new HashSet<>();
		boolean privateListed = false;
		for (String entry : allowedHosts) {
			String host = entry.strip().toLowerCase(Locale.ROOT);
			allowed.add(host);
			int colon = host.lastIndexOf(':');
			String bare = colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
			privateListed |= bare.equals("localhost") || bare.startsWith("127.") || bare.startsWith("10.")
					|| bare.startsWith("192.168.") || bare.startsWith("172.") || bare.equals("[::1]");
		}
		return new NavigationPolicy(allowed, Set.copyOf(deniedHosts), privateListed);
	}

	public NavigationPolicy withAllowHosts(String... hosts) {
		return new NavigationPolicy(Set.of(hosts), denyHosts, privateAddressesAllowed);
	}

	public NavigationPolicy withDenyHosts(String... hosts) {
		return new NavigationPolicy(allowHosts, Set.of(hosts), privateAddressesAllowed);
	}

	/** Lets private, loopback and link-local addresses through (local test servers, intranet deployments). */
	public NavigationPolicy withPrivateAddressesAllowed(boolean allowed) {
		return new NavigationPolicy(allowHosts, denyHosts, allowed);
	}

	/**
	 * This (server) policy restricted further by a task's policy: never wider than either. Deny lists add up, allow
	 * lists intersect (an empty list means "any"), private addresses only when both allow them.
	 */
	public NavigationPolicy narrow(NavigationPolicy task) {
		Set<String> allow;
		if (allowHosts.isEmpty()) {
			allow = task.allowHosts;
		}
		else if (task.allowHosts.isEmpty()) {
			allow = allowHosts;
		}
		else {
			allow = task.allowHosts.stream().filter(this::listedInAllow).collect(Collectors.toSet());
			if (allow.isEmpty()) {
				// Nothing the task asks for is allowed by the server: a list nobody can match denies everything.
				allow = Set.of("sightline.invalid:0");
			}
		}
		Set<String> deny = new HashSet<>(denyHosts);
		deny.addAll(task.denyHosts);
		return new NavigationPolicy(allow, deny, privateAddressesAllowed && task.privateAddressesAllowed);
	}

	/** A task entry survives when the server's allow list covers all it names (safe under-approximation). */
	private boolean listedInAllow(String entry) {
		int colon = entry.lastIndexOf(':');
		boolean hasPort = colon > 0 && entry.indexOf(':') == colon;
		if (hasPort) {
			return matchesAny(allowHosts, entry.substring(0, colon), Integer.parseInt(entry.substring(colon + 1)));
		}
		Set<String> portless = allowHosts.stream().filter(e -> e.indexOf(':') < 0).collect(Collectors.toSet());
		return matchesAny(portless, entry, -1);
	}

	public Decision check(String url) {
		if (url.equals("about:blank")) {
			return new Decision(true, "about:blank");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			return new Decision(false, "not a valid URL: " + ex.getMessage());
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!scheme.equals("http") && !scheme.equals("https")) {
			return new Decision(false, "scheme '" + scheme + ":' is not loadable (only http and https)");
		}
		String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			return new Decision(false, "URL has no host");
		}
		host = canonicalHost(host);
		int port = uri.getPort() >= 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
		if (matchesAny(denyHosts, host, port)) {
			return new Decision(false, "host " + host + ":" + port + " is on the deny list");
		}
		if (!allowHosts.isEmpty() && !matchesAny(allowHosts, host, port)) {
			return new Decision(false, "host " + host + ":" + port + " is not on the allow list " + allowHosts);
		}
		if (!privateAddressesAllowed) {
			String privateReason = privateAddress(host);
			if (privateReason != null) {
				return new Decision(false, privateReason);
			}
		}
		return new Decision(true, "allowed");
	}

	private static @Nullable String privateAddress(String host) {
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
		}
		catch (UnknownHostException ex) {
			return "host " + host + " does not resolve";
		}
		for (InetAddress address : addresses) {
			String kind = privateKind(address);
			if (kind != null) {
				return "host " + host + " is" + (isLiteral(host) ? " " : " resolves to ") + "a " + kind + " address ("
						+ address.getHostAddress() + ")";
			}
		}
		return null;
	}

	private static boolean isLiteral(String host) {
		return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
	}

	static @Nullable String privateKind(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return "loopback";
		}
		if (address.isLinkLocalAddress()) {
			return "link-local";
		}
		if (address.isSiteLocalAddress()) {
			return "private";
		}
		if (address.isAnyLocalAddress()) {
			return "unspecified";
		}
		if (address.isMulticastAddress()) {
			return "multicast";
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc) {
			return "unique-local";
		}
		if (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64) {
			return "carrier-grade NAT";
		}
		if (bytes.length == 4 && (bytes[0] & 0xff) == 0) {
			return "unspecified";
		}
		return null;
	}

	private static boolean matchesAny(Set<String> entries, String host, int port) {
		for (String entry : entries) {
			int colon = entry.lastIndexOf(':');
			boolean hasPort = colon > 0 && !entry.endsWith("]") && entry.indexOf(':') == colon;
			String entryHost = hasPort ? entry.substring(0, colon) : entry;
			if (hasPort && Integer.parseInt(entry.substring(colon + 1)) != port) {
				continue;
			}
			if (host.equals(entryHost) || host.endsWith("." + entryHost)) {
				return true;
			}
		}
		return false;
	}

	private static String canonicalHost(String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		if (lower.endsWith(".")) {
			lower = lower.substring(0, lower.length() - 1);
		}
		try {
			return IDN.toASCII(lower);
		}
		catch (IllegalArgumentException ex) {
			return lower;
		}
	}

	private static Set<String> normalise(Set<String> entries) {
		Set<String> out = new HashSet<>();
		for (String entry : entries) {
			String value = entry.strip().toLowerCase(Locale.ROOT);
			if (value.isEmpty()) {
				continue;
			}
			int colon = value.lastIndexOf(':');
			if (colon > 0 && value.indexOf(':') == colon) {
				String port = value.substring(colon + 1);
				if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
					throw new IllegalArgumentException("host entry '" + entry + "' has an invalid port (1..65535)");
				}
			}
			out.add(value);
		}
		return Set.copyOf(out);
	}


	@Override
	public String toString() {
		return "NavigationPolicy[allow=" + List.copyOf(allowHosts) + ", deny=" + List.copyOf(denyHosts)
				+ ", privateAddresses=" + (privateAddressesAllowed ? "allowed" : "denied") + "]";
	}

}
