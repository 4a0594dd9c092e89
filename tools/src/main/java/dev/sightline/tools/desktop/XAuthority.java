package dev.sightline.tools.desktop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the MIT-MAGIC-COOKIE-1 of a local display in the Xauthority file ({@code XAUTHORITY}, else
 * {@code ~/.Xauthority}), as Xlib would send it. An Xvfb started by Sightline needs none; a user's desktop usually
 * does.
 */
final class XAuthority {

	static final String MIT_MAGIC_COOKIE = "MIT-MAGIC-COOKIE-1";

	/** Family codes of entries valid for a local connection: FamilyLocal, FamilyWild. */
	private static final int FAMILY_LOCAL = 256;

	private static final int FAMILY_WILD = 65535;

	private static final long MAX_FILE_BYTES = 1 << 20;

	private XAuthority() {
	}

	/** The cookie for display number {@code number}, or an empty array when there is none. */
	static byte[] cookie(int number) {
		String configured = System.getenv("XAUTHORITY");
		Path file = configured != null && !configured.isBlank() ? Path.of(configured)
				: Path.of(System.getProperty("user.home"), ".Xauthority");
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
