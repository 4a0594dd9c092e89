package dev.sightline.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A CIDR range ({@code 10.0.0.0/8}, {@code fc00::/7}); a single address is a range of one ({@code /32},
 * {@code /128}). Matching compares address bytes under the prefix mask; IPv4 and IPv6 ranges never match each
 * other's addresses (IPv4-mapped IPv6 addresses are turned into IPv4 before any check).
 *
 * @param network the range's first address (host bits zero)
 * @param prefixBits the number of leading bits that must match
 */
public record IpRange(InetAddress network, int prefixBits) {

	public IpRange {
		int bits = network.getAddress().length * 8;
		if (prefixBits < 0 || prefixBits > bits) {
			throw new IllegalArgumentException("prefix length /" + prefixBits + " is outside 0.." + bits + " for "
					+ network.getHostAddress());
		}
		network = masked(network, prefixBits);
	}

	/** {@code 10.0.0.0/8}, {@code fc00::/7}, {@code [fc00::]/7}, or a single address. */
	public static IpRange parse(String text) {
		int slash = text.indexOf('/');
		Host host = Host.parse(slash < 0 ? text : text.substring(0, slash));
		if (host.address() == null) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
		}
		int bits = host.address().getAddress().length * 8;
		if (slash < 0) {
			return new IpRange(host.address(), bits);
		}
		String prefix = text.substring(slash + 1);
		if (!prefix.matches("\\d{1,3}")) {
			throw new IllegalArgumentException("CIDR range '" + text + "' needs a prefix length 0.." + bits);
		}
		return new IpRange(host.address(), Integer.parseInt(prefix));
	}

	public static IpRange of(InetAddress address) {
		return new IpRange(address, address.getAddress().length * 8);
	}

	public boolean contains(InetAddress address) {
		byte[] candidate = SpecialAddresses.unmapped(address).getAddress();
		byte[] net = network.getAddress();
		if (candidate.length != net.length) {
			return false;
		}
		return Arrays.equals(masked(candidate, prefixBits), net);
	}

	/** Whether every address of {@code other} lies in this range. */
	public boolean covers(IpRange other) {
		return other.prefixBits >= prefixBits && contains(other.network);
	}

	public boolean isSingleAddress() {
		return prefixBits == network.getAddress().length * 8;
	}

	private static InetAddress masked(InetAddress address, int prefixBits) {
		try {
			return InetAddress.getByAddress(masked(address.getAddress(), prefixBits));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("4 or 16 bytes are always an address", ex);
		}
	}

	private static byte[] masked(byte[] bytes, int prefixBits) {
		byte[] out = bytes.clone();
		for (int i = 0; i < out.length; i++) {
			int keep = Math.max(0, Math.min(8, prefixBits - 8 * i));
			out[i] &= (byte) (0xff << (8 - keep));
		}
		return out;
	}

	@Override
	public String toString() {
		String address = Host.ofAddress(network).name();
		return isSingleAddress() ? address : address + "/" + prefixBits;
	}

}
