package dev.sightline.vision.preprocess;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The encodings the pipeline accepts, recognised by their magic bytes (never by a file name). */
enum ImageFormat {

	PNG("png"), JPEG("jpeg"), WEBP("webp");

	/** Name of the format for {@code ImageIO.getImageReadersByFormatName}. */
	final String imageIoName;

	ImageFormat(String imageIoName) {
		this.imageIoName = imageIoName;
	}

	static Optional<ImageFormat> sniff(byte[] b) {
		if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
			return Optional.of(PNG);
		}
		if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
			return Optional.of(JPEG);
		}
		if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
			return Optional.of(WEBP);
		}
		return Optional.empty();
	}

	/** A short description of unrecognised bytes for error messages. */
	static String describe(byte[] b) {
		if (b.length == 0) {
			return "0 bytes";
		}
		if (b.length >= 4 && ascii(b, 0, 4).startsWith("GIF8")) {
			return "GIF";
		}
		if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
			return "BMP";
		}
		StringBuilder hex = new StringBuilder();
		for (int i = 0; i < Math.min(8, b.length); i++) {
			hex.append(String.format("%02x", b[i] & 0xFF));
		}
		return b.length + " bytes starting " + hex;
	}

	private static String ascii(byte[] b, int from, int length) {
		return new String(b, from, length, StandardCharsets.ISO_8859_1);
	}

}
