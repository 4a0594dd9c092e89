package dev.sightline.net;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A URL host as a browser reads it: an IP address (IPv4 in any of the numeric forms the WHATWG URL standard's IPv4
 * parser accepts — {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1} — or a bracketed IPv6
 * literal) or a lower-case ASCII (IDN-encoded) domain name without a trailing dot. Chromium canonicalises hosts the
 * same way before it connects, so a rule checked on this form is the rule that decides the connection.
 *
 * @param name the canonical text: the domain name, or the address as {@link InetAddress#getHostAddress()} writes it
 * @param address the address of a numeric host; {@code null} for a domain name
 */
public record Host(String name, @Nullable InetAddress address) {

	/** Longest domain name DNS can carry. */
	private static final int MAX_NAME_CHARS = 253;

	public boolean isAddress() {
		return address != null;
	}

	/** The host as it appears in a URL authority ({@code [v6]} bracketed). */
	public String authority() {
		return address != null && address.getAddress().length == 16 ? "[" + name + "]" : name;
	}

	/**
	 * Parses a URL's host component.
	 * @throws IllegalArgumentException for a host no browser would load (bad IPv6 literal, out-of-range IPv4 number,
	 * characters not allowed in a host); the message names the host
	 */
	public static Host parse(String raw) {
		String host = raw.strip();
		if (host.isEmpty()) {
			throw new IllegalArgumentException("empty host");
		}
		if (host.startsWith("[")) {
			if (!host.endsWith("]")) {
				throw new IllegalArgumentException("host '" + raw + "' opens '[' without closing it");
			}
			return ofAddress(ipv6(host.substring(1, host.length() - 1), raw));
		}
		if (host.indexOf(':') >= 0) {
			// An unbracketed IPv6 literal is only valid in rule lists, never in a URL; accept it there.
			return ofAddress(ipv6(host, raw));
		}
		String ascii;
		try {
			ascii = IDN.toASCII(host.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("host '" + raw + "' is not a valid domain name: " + ex.getMessage());
		}
		InetAddress v4 = Ipv4Parser.parse(ascii, raw);
		if (v4 != null) {
			return ofAddress(v4);
		}
		if (ascii.endsWith(".")) {
			ascii = ascii.substring(0, ascii.length() - 1);
		}
		if (ascii.isEmpty() || ascii.length() > MAX_NAME_CHARS || !ascii.matches("[a-z0-9_.-]+")
				|| ascii.contains("..")) {
			throw new IllegalArgumentException("host '" + raw + "' is not a valid domain name (letters, digits, '-', "
					+ "'_' and '.', at most " + MAX_NAME_CHARS + " characters)");
		}
		return new Host(ascii, null);
	}

	public static Host ofAddress(InetAddress address) {
		InetAddress canonical = SpecialAddresses.unmapped(address);
		return new Host(text(canonical), canonical);
	}

	/** An address in its RFC 5952 text form ({@code ::1}, {@code fd00::1}); IPv4 dotted. */
	public static String text(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length == 4) {
			return address.getHostAddress();
		}
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
		}
		// The longest run of two or more zero groups (the first of equals) becomes "::".
		int bestStart = -1;
		int bestLength = 1;
		for (int i = 0; i < 8;) {
			int j = i;
			while (j < 8 && groups[j] == 0) {
				j++;
			}
			if (j - i > bestLength) {
				bestStart = i;
				bestLength = j - i;
			}
			i = j == i ? i + 1 : j;
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				out.append("::");
				i += bestLength - 1;
				continue;
			}
			if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
				out.append(':');
			}
			out.append(Integer.toHexString(groups[i]));
		}
		return out.toString();
	}

	private static InetAddress ipv6(String literal, String raw) {
		if (literal.isEmpty() || !literal.matches("[0-9A-Fa-f:.]+")) {
			// No zone ids ('%eth0'): a browser does not accept them in URLs.
			throw new IllegalArgumentException("host '" + raw + "' is not a valid IPv6 address");
		}
		try {
			// A literal with ':' is parsed, never looked up.
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("host '" + raw + "' is not a valid IPv6 address");
		}
	}

	@Override
	public String toString() {
		return authority();
	}

}
