package dev.sightline.net;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One entry of an allowed- or denied-hosts list, parsed once into what it matches; never compared as a string
 * prefix.
 *
 * <ul>
 * <li>{@code example.com}: that name and its subdomains (case-insensitive, IDN names in either form), any port;
 * {@code *.example.com}: the subdomains only</li>
 * <li>{@code example.com:8443}, {@code 127.0.0.1:8080}, {@code [::1]:8080}: that host on that port only</li>
 * <li>{@code 10.0.0.1}, {@code fd00::1}, {@code [fd00::1]}: that address (also in its numeric variants such as
 * {@code 0x0a.1})</li>
 * <li>{@code 10.0.0.0/8}, {@code fc00::/7}: a CIDR range, matched against the resolved addresses of every host</li>
 * </ul>
 */
public sealed interface HostRule {

	/** Any port. */
	int ANY_PORT = -1;

	/** The port this rule is limited to, or {@link #ANY_PORT}. */
	int port();

	default boolean portMatches(int candidate) {
		return port() == ANY_PORT || port() == candidate;
	}

	/** Whether {@code other} matches only what this rule matches (safe under-approximation). */
	boolean covers(HostRule other);

	/**
	 * A domain name and, unless {@code subdomainsOnly}, its subdomains.
	 * @param name lower-case ASCII, no trailing dot
	 */
	record Name(String name, boolean subdomainsOnly, int port) implements HostRule {

		public boolean matches(String host) {
			return host.endsWith("." + name) || (!subdomainsOnly && host.equals(name));
		}

		@Override
		public boolean covers(HostRule other) {
			if (!(other instanceof Name that) || !(port == ANY_PORT || port == that.port)) {
				return false;
			}
			return that.name.endsWith("." + name) || (that.name.equals(name) && (!subdomainsOnly || that.subdomainsOnly));
		}

		@Override
		public String toString() {
			return (subdomainsOnly ? "*." : "") + name + (port == ANY_PORT ? "" : ":" + port);
		}

	}

	/** An address or CIDR range. */
	record Addresses(IpRange range, int port) implements HostRule {

		public boolean matches(InetAddress address) {
			return range.contains(address);
		}

		@Override
		public boolean covers(HostRule other) {
			return other instanceof Addresses that && (port == ANY_PORT || port == that.port)
					&& range.covers(that.range);
		}

		@Override
		public String toString() {
			String text = range.toString();
			if (port == ANY_PORT) {
				return text;
			}
			return (text.contains(":") ? "[" + text + "]" : text) + ":" + port;
		}

	}

	/**
	 * Parses one list entry.
	 * @throws IllegalArgumentException naming the entry and what is wrong with it
	 */
	static HostRule parse(String entry) {
		String text = entry.strip().toLowerCase(Locale.ROOT);
		if (text.isEmpty()) {
			throw new IllegalArgumentException("host entry is empty");
		}
		if (text.contains("/")) {
			try {
				return new Addresses(IpRange.parse(text.replace("[", "").replace("]", "")), ANY_PORT);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("host entry '" + entry + "': " + ex.getMessage(), ex);
			}
		}
		String host = text;
		int port = ANY_PORT;
		int colon = text.lastIndexOf(':');
		boolean bracketed = text.startsWith("[");
		boolean hasPort = bracketed ? text.contains("]:") : colon > 0 && text.indexOf(':') == colon;
		if (hasPort) {
			host = text.substring(0, colon);
			port = port(text.substring(colon + 1), entry);
		}
		boolean subdomainsOnly = host.startsWith("*.");
		if (subdomainsOnly) {
			host = host.substring(2);
		}
		Host parsed;
		try {
			parsed = Host.parse(host);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("host entry '" + entry + "': " + ex.getMessage(), ex);
		}
		if (parsed.address() != null) {
			if (subdomainsOnly) {
				throw new IllegalArgumentException("host entry '" + entry + "': '*.' applies to names, not addresses");
			}
			return new Addresses(IpRange.of(parsed.address()), port);
		}
		return new Name(parsed.name(), subdomainsOnly, port);
	}

	private static int port(String text, String entry) {
		if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65_535) {
			throw new IllegalArgumentException("host entry '" + entry + "' has an invalid port (1..65535)");
		}
		return Integer.parseInt(text);
	}

}
