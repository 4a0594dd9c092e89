package dev.sightline.tools.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PilBicubic;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * The screenshot as the model gets it: resized with the reference's PIL bicubic to the smart-resized size and
 * encoded as PNG, so any server-side resize is an identity and the model's pixels are exactly this image's.
 */
public final class ModelImage {

	private static final ImageDecoder DECODER = new ImageDecoder();

	private ModelImage() {
	}

	/** {@code png} resized to {@code size}; the same bytes when the screenshot already has that size. */
	public static byte[] resizedPng(byte[] png, ImageSize from, ImageSize size) {
		if (from.equals(size)) {
			return png;
		}
		RgbImage resized = PilBicubic.resize(DECODER.decode(png), size);
		return encodePng(resized);
	}

	/**
	 * RGB8 PNG with the Sub filter and the fastest deflate level: ImageIO's writer filters adaptively and costs
	 * several times more, while the agent loop spends this on every step.
	 */
	public static byte[] encodePng(RgbImage image) {
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
		ByteArrayOutputStream idat = new ByteArrayOutputStream(filtered.length / 8);
		try {
			deflater.setInput(filtered);
			deflater.finish();
			byte[] buffer = new byte[64 * 1024];
			while (!deflater.finished()) {
				idat.write(buffer, 0, deflater.deflate(buffer));
			}
		}
		finally {
			deflater.end();
		}
		ByteArrayOutputStream png = new ByteArrayOutputStream(idat.size() + 64);
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height);
		header.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
		chunk(png, "IHDR", header.array());
		chunk(png, "IDAT", idat.toByteArray());
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		png.writeBytes(typeBytes);
		png.writeBytes(data);
		png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
