package dev.sightline.tools.desktop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import dev.sightline.tools.ToolsException;

/**
 * Finds the MIT-MAGIC-COOKIE-1 of a local display in the Xauthority file ({@code XAUTHORITY}, else
 * {@code ~/.Xauthority}), as Xlib would send it; and writes the one-entry file an Xvfb started by Sightline is given
 * with {@code -auth}, so only holders of its random cookie can connect.
 */
final class XAuthority {

	static final String MIT_MAGIC_COOKIE = "MIT-MAGIC-COOKIE-1";

	/** Family codes of entries valid for a local connection: FamilyLocal, FamilyWild. */
	private static final int FAMILY_LOCAL = 256;

	private static final int FAMILY_WILD = 65535;

	private static final long MAX_FILE_BYTES = 1 << 20;

	private static final int COOKIE_BYTES = 16;

	private static final SecureRandom RANDOM = new SecureRandom();

	private XAuthority() {
	}

	/** A fresh random MIT-MAGIC-COOKIE-1 (16 bytes, as {@code xauth generate} makes). */
	static byte[] newCookie() {
		byte[] cookie = new byte[COOKIE_BYTES];
		RANDOM.nextBytes(cookie);
		return cookie;
	}

	/**
	 * Writes an Xauthority file readable by its owner only, with one FamilyWild entry (any address, any display
	 * number) holding {@code cookie}: the server reads it with {@code -auth}, clients with {@code XAUTHORITY}.
	 */
	static Path writeFile(byte[] cookie) {
		try {
			Path file = Files.createTempFile("sightline-xauth-", "",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			byte[] name = MIT_MAGIC_COOKIE.getBytes(StandardCharsets.US_ASCII);
			ByteBuffer entry = ByteBuffer.allocate(2 + 2 + 2 + 2 + name.length + 2 + cookie.length);
			entry.putShort((short) FAMILY_WILD).putShort((short) 0).putShort((short) 0);
			entry.putShort((short) name.length).put(name).putShort((short) cookie.length).put(cookie);
			Files.write(file, entry.array());
			return file;
		}
		catch (IOException ex) {
			throw new ToolsException("cannot write an Xauthority file for Xvfb: " + ex.getMessage(), ex);
		}
	}

	/** The cookie for display number {@code number}, or an empty array when there is none. */
	static byte[] cookie(int number) {
		String configured = System.getenv("XAUTHORITY");
		Path file = configured != null && !configured.isBlank() ? Path.of(configured)
				: Path.of(System.getProperty("user.home"), ".Xauthority");
		return cookie(file, number);
	}

	/** The cookie for display number {@code number} in the Xauthority file {@code file}; empty when none. */
	static byte[] cookie(Path file, int number) {
		try {
			if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
				return new byte[0];
			}
			return cookie(Files.readAllBytes(file), number);
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}

	/** Parses Xauthority entries: big-endian family, then address, number, name and data, each length-prefixed. */
	static byte[] cookie(byte[] file, int number) {
		ByteBuffer in = ByteBuffer.wrap(file);
		String wanted = String.valueOf(number);
		while (in.remaining() >= 2) {
			int family = in.getShort() & 0xFFFF;
			byte[] address = field(in);
			byte[] displayNumber = field(in);
			byte[] name = field(in);
			byte[] data = field(in);
			if (address == null || displayNumber == null || name == null || data == null) {
				break;
			}
			boolean local = family == FAMILY_LOCAL || family == FAMILY_WILD;
			String entryNumber = new String(displayNumber, StandardCharsets.US_ASCII);
			if (local && (entryNumber.equals(wanted) || entryNumber.isEmpty())
					&& new String(name, StandardCharsets.US_ASCII).equals(MIT_MAGIC_COOKIE)) {
				return data;
			}
		}
		return new byte[0];
	}

	private static byte[] field(ByteBuffer in) {
		if (in.remaining() < 2) {
			return null;
		}
		int length = in.getShort() & 0xFFFF;
		if (in.remaining() < length) {
			return null;
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return bytes;
	}

}
