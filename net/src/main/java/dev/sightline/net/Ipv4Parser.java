package dev.sightline.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The WHATWG URL standard's IPv4 parser (https://url.spec.whatwg.org/#concept-ipv4-parser), which Chromium
 * implements: a host whose last label is a number is an IPv4 address, its parts decimal, octal (leading {@code 0})
 * or hex ({@code 0x}), the last part filling the remaining bytes. So {@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1} and {@code 127.1} are all 127.0.0.1, and a policy must see them as such.
 */
final class Ipv4Parser {

	private Ipv4Parser() {
	}

	/**
	 * The address of an IPv4 host, or {@code null} when {@code host} (lower case ASCII) is a domain name.
	 * @throws IllegalArgumentException when the host ends in a number but is not a valid IPv4 address (browsers
	 * refuse such URLs)
	 */
	static @Nullable InetAddress parse(String host, String raw) {
		List<String> parts = new ArrayList<>(List.of(host.split("\\.", -1)));
		if (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
			parts.remove(parts.size() - 1);
		}
		if (!isNumber(parts.get(parts.size() - 1))) {
			return null;
		}
		if (parts.size() > 4) {
			throw invalid(raw, "more than four parts");
		}
		List<BigInteger> numbers = new ArrayList<>();
		for (String part : parts) {
			BigInteger number = number(part);
			if (number == null) {
				throw invalid(raw, "part '" + part + "' is not a decimal, octal or hex number");
			}
			numbers.add(number);
		}
		for (int i = 0; i < numbers.size() - 1; i++) {
			if (numbers.get(i).compareTo(BigInteger.valueOf(255)) > 0) {
				throw invalid(raw, "part " + (i + 1) + " exceeds 255");
			}
		}
		BigInteger last = numbers.get(numbers.size() - 1);
		if (last.compareTo(BigInteger.ONE.shiftLeft(8 * (5 - numbers.size()))) >= 0) {
			throw invalid(raw, "last part exceeds what the remaining bytes can hold");
		}
		long value = last.longValue();
		for (int i = 0; i < numbers.size() - 1; i++) {
			value += numbers.get(i).longValue() << (8 * (3 - i));
		}
		byte[] bytes = { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an IPv4 address", ex);
		}
	}

	/** The spec's "ends in a number" test: all digits, or {@code 0x} followed by hex digits. */
	private static boolean isNumber(String part) {
		if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return true;
		}
		return part.startsWith("0x") && part.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
	}

	private static @Nullable BigInteger number(String part) {
		if (part.isEmpty()) {
			return null;
		}
		int radix = 10;
		String digits = part;
		if (part.startsWith("0x") || part.startsWith("0X")) {
			radix = 16;
			digits = part.substring(2);
		}
		else if (part.length() > 1 && part.startsWith("0")) {
			radix = 8;
			digits = part.substring(1);
		}
		if (digits.isEmpty()) {
			return BigInteger.ZERO;
		}
		if (digits.length() > 64) {
			return null;
		}
		int finalRadix = radix;
		if (!digits.chars().allMatch(c -> Character.digit(c, finalRadix) >= 0)) {
			return null;
		}
		return new BigInteger(digits, radix);
	}

	private static IllegalArgumentException invalid(String raw, String why) {
		return new IllegalArgumentException("host '" + raw + "' ends in a number but is not an IPv4 address: " + why);
	}

}
