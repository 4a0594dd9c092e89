package dev.sightline.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Addresses a task's browser or the model server must not reach unless the operator lists them: this host, its
 * networks and the cloud metadata service. Classified on the address bytes (never on the text of a name), with IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) judged by the embedded address.
 */
public final class SpecialAddresses {

	private record Kind(IpRange range, String name) {
	}

	private static final List<Kind> KINDS = List.of(kind("0.0.0.0/8", "unspecified"), kind("10.0.0.0/8", "private"),
			kind("100.64.0.0/10", "carrier-grade NAT"), kind("127.0.0.0/8", "loopback"),
			kind("169.254.0.0/16", "link-local"), kind("172.16.0.0/12", "private"),
			kind("192.0.0.0/24", "IETF protocol assignment"), kind("192.168.0.0/16", "private"),
			kind("198.18.0.0/15", "benchmarking"), kind("224.0.0.0/4", "multicast"),
			kind("255.255.255.255/32", "broadcast"), kind("240.0.0.0/4", "reserved"), kind("::/128", "unspecified"),
			kind("::1/128", "loopback"), kind("fc00::/7", "unique-local"), kind("fe80::/10", "link-local"),
			kind("fec0::/10", "site-local"), kind("ff00::/8", "multicast"), kind("100::/64", "discard-only"),
			kind("64:ff9b:1::/48", "local-use NAT64"), kind("2001::/32", "Teredo"));

	private static final IpRange IPV4_COMPATIBLE = IpRange.parse("::/96");

	private static final IpRange NAT64 = IpRange.parse("64:ff9b::/96");

	private static final IpRange SIX_TO_FOUR = IpRange.parse("2002::/16");

	private SpecialAddresses() {
	}

	/**
	 * What makes {@code address} special ("loopback", "private", ...), or {@code null} for a public unicast
	 * address.
	 */
	public static @Nullable String kind(InetAddress address) {
		InetAddress plain = unmapped(address);
		for (Kind kind : KINDS) {
			if (kind.range.contains(plain)) {
				return kind.name;
			}
		}
		if (plain instanceof Inet6Address) {
			byte[] bytes = plain.getAddress();
			if (IPV4_COMPATIBLE.contains(plain)) {
				return "IPv4-compatible IPv6";
			}
			if (NAT64.contains(plain) || SIX_TO_FOUR.contains(plain)) {
				int at = NAT64.contains(plain) ? 12 : 2;
				String embedded = kind(v4(Arrays.copyOfRange(bytes, at, at + 4)));
				return embedded == null ? null : embedded + " (embedded in " + Host.text(plain) + ")";
			}
		}
		return null;
	}

	/**
	 * What special addresses {@code range} contains, or {@code null} when it holds only public ones (a CIDR entry such
	 * as {@code 0.0.0.0/0} contains loopback and private addresses too).
	 */
	public static @Nullable String kindWithin(IpRange range) {
		String own = kind(range.network());
		if (own != null) {
			return own;
		}
		for (Kind kind : KINDS) {
			if (range.covers(kind.range) || kind.range.contains(range.network())) {
				return kind.name;
			}
		}
		return null;
	}

	/** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as the IPv4 address it is; anything else unchanged. */
	public static InetAddress unmapped(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (bytes.length == 16) {
			for (int i = 0; i < 10; i++) {
				if (bytes[i] != 0) {
					return address;
				}
			}
			if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
				return v4(Arrays.copyOfRange(bytes, 12, 16));
			}
		}
		return address;
	}

	private static InetAddress v4(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an IPv4 address", ex);
		}
	}

	private static Kind kind(String cidr, String name) {
		return new Kind(IpRange.parse(cidr), name);
	}

}
