package dev.sightline.agent.security;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.CodecPolicy;
import org.apache.commons.codec.binary.Base32;

/**
 * A time-based one-time password generator (RFC 6238 over RFC 4226's HOTP) from a shared seed: what an authenticator
 * app shows. Carried between the API and the worker as its standard key URI ({@code otpauth://totp/...}), so the
 * secret hand-off needs no second format.
 *
 * @param seedBase32 the shared seed as the site shows it: RFC 4648 Base32, upper case, no padding or spaces
 * @param algorithm HMAC hash: {@code SHA1} (the default almost every site uses), {@code SHA256} or {@code SHA512}
 * @param digits code length, 6 to 8
 * @param periodSeconds how long one code is valid, 15 to 300
 */
public record Totp(String seedBase32, String algorithm, int digits, int periodSeconds) {

	public static final String URI_PREFIX = "otpauth://totp/";

	public static final List<String> ALGORITHMS = List.of("SHA1", "SHA256", "SHA512");

	private static final Base32 BASE32 = Base32.builder().setDecodingPolicy(CodecPolicy.STRICT).get();

	public Totp {
		seedBase32 = normalize(seedBase32);
		if (seedBase32.length() < 16 || seedBase32.length() > 256 || !seedBase32.matches("[A-Z2-7]+")) {
			throw new IllegalArgumentException("a TOTP seed must be 16 to 256 Base32 characters (A-Z, 2-7; spaces and "
					+ "padding are ignored), got " + seedBase32.length() + " characters");
		}
		try {
			BASE32.decode(padded(seedBase32));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("a TOTP seed must be whole Base32 (" + seedBase32.length()
					+ " characters leave stray bits); copy the seed exactly as the site shows it");
		}
		if (!ALGORITHMS.contains(algorithm)) {
			throw new IllegalArgumentException("TOTP algorithm must be one of " + ALGORITHMS + ", got '" + algorithm + "'");
		}
		if (digits < 6 || digits > 8) {
			throw new IllegalArgumentException("TOTP digits must be within [6, 8], got " + digits);
		}
		if (periodSeconds < 15 || periodSeconds > 300) {
			throw new IllegalArgumentException("TOTP period must be within [15, 300] seconds, got " + periodSeconds);
		}
	}

	/** RFC 6238's defaults: SHA1, 6 digits, 30 s. */
	public static Totp of(String seedBase32) {
		return new Totp(seedBase32, "SHA1", 6, 30);
	}

	/** Sites show seeds in groups, lower case or padded; the seed itself is the same. */
	static String normalize(String seed) {
		return seed.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
	}

	/** The code valid at {@code at}. */
	public String code(Instant at) {
		return code(Math.floorDiv(at.getEpochSecond(), periodSeconds));
	}

	/** The codes of the period before, at and after {@code at}: what may still be on the screen or just typed. */
	public List<String> codesAround(Instant at) {
		long counter = Math.floorDiv(at.getEpochSecond(), periodSeconds);
		return List.of(code(counter - 1), code(counter), code(counter + 1));
	}

	/** RFC 4226 section 5.3: HMAC of the counter, dynamic truncation, modulo 10^digits. */
	String code(long counter) {
		byte[] key = BASE32.decode(padded(seedBase32));
		try {
			Mac mac = Mac.getInstance("Hmac" + algorithm);
			mac.init(new SecretKeySpec(key, "RAW"));
			byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
			int offset = hash[hash.length - 1] & 0x0f;
			int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
					| ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
			int modulo = (int) Math.pow(10, digits);
			return String.format(Locale.ROOT, "%0" + digits + "d", binary % modulo);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("every JDK has Hmac" + algorithm, e);
		}
	}

	/** Commons Codec's strict decoder wants whole 8-character groups. */
	private static String padded(String base32) {
		int rest = base32.length() % 8;
		return rest == 0 ? base32 : base32 + "=".repeat(8 - rest);
	}

	/** The key URI authenticator apps read (Google's Key Uri Format). */
	public String uri() {
		return URI_PREFIX + "sightline?secret=" + seedBase32 + "&algorithm=" + algorithm + "&digits=" + digits
				+ "&period=" + periodSeconds;
	}

	/** Reads {@link #uri()} back; absent parameters take the defaults. */
	public static Totp parseUri(String uri) {
		if (!uri.startsWith(URI_PREFIX)) {
			throw new IllegalArgumentException("not an otpauth://totp/ URI");
		}
		String query = URI.create(uri).getRawQuery();
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : query == null ? new String[0] : query.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				parameters.put(pair.substring(0, eq).toLowerCase(Locale.ROOT),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		String secret = parameters.get("secret");
		if (secret == null) {
			throw new IllegalArgumentException("otpauth URI without secret=");
		}
		return new Totp(secret, parameters.getOrDefault("algorithm", "SHA1").toUpperCase(Locale.ROOT),
				Integer.parseInt(parameters.getOrDefault("digits", "6")),
				Integer.parseInt(parameters.getOrDefault("period", "30")));
	}

	@Override
	public String toString() {
		// Never the seed.
		return "Totp[" + algorithm + ", " + digits + " digits, " + periodSeconds + " s]";
	}

}
