package dev.sightline.vision.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes an {@link RgbImage} as an 8-bit RGB PNG, for the places that need bytes: a remote model endpoint and the
 * task recording. Tuned for speed, since an agent pays it per step: the Sub filter (screens are runs of equal pixels,
 * which Sub turns into zeros) and the fastest deflate level; {@code ImageIO}'s writer filters adaptively and costs
 * several times more.
 */
public final class PngEncoder {

	private static final byte[] SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

	/** Bytes per IDAT chunk; decoders accept any split, and bounded chunks keep the copy buffers small. */
	private static final int CHUNK_BYTES = 256 * 1024;

	private PngEncoder() {
	}

	public static byte[] encode(RgbImage image) {
		int width = image.widthPx();
		int height = image.heightPx();
		byte[] rgb = image.rgb();
		int stride = width * 3;
		byte[] filtered = new byte[(stride + 1) * height];
		for (int y = 0; y < height; y++) {
			int in = y * stride;
			int out = y * (stride + 1);
			filtered[out] = 1; // Sub: each byte minus the same channel of the pixel to its left.
			System.arraycopy(rgb, in, filtered, out + 1, Math.min(3, stride));
			for (int x = 3; x < stride; x++) {
				filtered[out + 1 + x] = (byte) (rgb[in + x] - rgb[in + x - 3]);
			}
		}
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		ByteArrayOutputStream png = new ByteArrayOutputStream(filtered.length / 8 + 1024);
		try {
			deflater.setInput(filtered);
			deflater.finish();
			png.writeBytes(SIGNATURE);
			ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height);
			header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
			chunk(png, "IHDR", header.array(), 13);
			byte[] buffer = new byte[CHUNK_BYTES];
			while (!deflater.finished()) {
				int length = deflater.deflate(buffer);
				if (length > 0) {
					chunk(png, "IDAT", buffer, length);
				}
			}
			chunk(png, "IEND", new byte[0], 0);
			return png.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	private static void chunk(ByteArrayOutputStream png, String type, byte[] data, int length) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data, 0, length);
		png.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
		png.writeBytes(typeBytes);
		png.write(data, 0, length);
		png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
