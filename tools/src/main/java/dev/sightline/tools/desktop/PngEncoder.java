package dev.sightline.tools.desktop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes {@code 0xRRGGBB} pixels as an 8-bit RGB PNG, tuned for speed: no row filters and the fastest deflate
 * level, since the screenshot is decoded again a few milliseconds later and screens compress well anyway.
 */
final class PngEncoder {

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	private PngEncoder() {
	}

	static byte[] encode(int[] rgb, int widthPx, int heightPx) {
		if (widthPx <= 0 || heightPx <= 0 || (long) widthPx * heightPx != rgb.length) {
			throw new IllegalArgumentException(
					"PNG of " + widthPx + "x" + heightPx + " needs " + (long) widthPx * heightPx + " pixels, got "
							+ rgb.length);
		}
		int rowBytes = 1 + widthPx * 3;
		byte[] raw = new byte[rowBytes * heightPx];
		for (int y = 0, at = 0; y < heightPx; y++) {
			raw[at++] = 0; // filter type None
			for (int x = 0, i = y * widthPx; x < widthPx; x++, i++) {
				int pixel = rgb[i];
				raw[at++] = (byte) (pixel >>> 16);
				raw[at++] = (byte) (pixel >>> 8);
				raw[at++] = (byte) pixel;
			}
		}
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 1024);
		try {
			deflater.setInput(raw);
			deflater.finish();
			out.writeBytes(SIGNATURE);
			ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(widthPx).putInt(heightPx);
			ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
			chunk(out, "IHDR", ihdr.array(), 13);
			byte[] buffer = new byte[256 * 1024];
			while (!deflater.finished()) {
				int length = deflater.deflate(buffer);
				if (length > 0) {
					chunk(out, "IDAT", buffer, length);
				}
			}
			chunk(out, "IEND", new byte[0], 0);
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data, 0, length);
		out.writeBytes(typeBytes);
		out.write(data, 0, length);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
