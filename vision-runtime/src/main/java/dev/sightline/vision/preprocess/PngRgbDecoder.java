package dev.sightline.vision.preprocess;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the PNGs screenshots are: 8-bit RGB or RGBA, not interlaced, no transparency chunk. It
 * inflates all IDAT data into one buffer and undoes the row filters in place, which is about a third cheaper than
 * {@code javax.imageio} (no per-row streams, no raster, one copy less). Anything else returns {@code null} so that
 * {@link ImageDecoder} uses ImageIO, which handles every PNG the same way as before.
 */
final class PngRgbDecoder {

	private static final int SIGNATURE_BYTES = 8;

	private static final int COLOR_RGB = 2;

	private static final int COLOR_RGBA = 6;

	private PngRgbDecoder() {
	}

	/** Receives the header's size before any pixel is inflated; throws to refuse it. */
	@FunctionalInterface
	interface SizeCheck {

		void accept(int widthPx, int heightPx);

	}

	/** The RGB pixels (alpha composited onto white), or {@code null} when the PNG is not of the supported kind. */
	static RgbImage decode(byte[] png, SizeCheck sizeCheck) {
		int at = SIGNATURE_BYTES;
		if (png.length < at + 8 + 13 || !type(png, at + 4, "IHDR") || readInt(png, at) != 13) {
			return null;
		}
		int width = readInt(png, at + 8);
		int height = readInt(png, at + 12);
		int depth = png[at + 16];
		int color = png[at + 17];
		if (depth != 8 || (color != COLOR_RGB && color != COLOR_RGBA) || png[at + 18] != 0 || png[at + 19] != 0
				|| png[at + 20] != 0 || width <= 0 || height <= 0) {
			return null;
		}
		sizeCheck.accept(width, height);
		int bpp = color == COLOR_RGB ? 3 : 4;
		int stride = Math.multiplyExact(width, bpp) + 1;
		byte[] raw = new byte[Math.multiplyExact(stride, height)];
		int filled = 0;
		Inflater inflater = new Inflater();
		try {
			at += 8 + 13 + 4;
			while (at + 8 <= png.length) {
				int length = readInt(png, at);
				if (length < 0 || length > png.length - at - 12) {
					throw truncated(png, "a chunk of " + length + " bytes runs past the end of the file");
				}
				if (type(png, at + 4, "tRNS")) {
					return null; // a transparent colour key: ImageIO's reading of it stays the reference
				}
				if (type(png, at + 4, "IEND")) {
					break;
				}
				if (type(png, at + 4, "IDAT") && filled < raw.length) {
					inflater.setInput(png, at + 8, length);
					filled += inflate(inflater, raw, filled);
				}
				at += 12 + length;
			}
		}
		finally {
			inflater.end();
		}
		if (filled < raw.length) {
			throw truncated(png, "the image data ends after " + filled + " of " + raw.length + " bytes");
		}
		unfilter(raw, stride, height, bpp);
		return RgbImage.of(toRgb(raw, stride, width, height, bpp), width, height);
	}

	private static int inflate(Inflater inflater, byte[] raw, int from) {
		int filled = from;
		try {
			while (filled < raw.length && !inflater.needsInput() && !inflater.finished()) {
				int n = inflater.inflate(raw, filled, raw.length - filled);
				if (n == 0 && inflater.needsDictionary()) {
					throw new CorruptImageException("the PNG image data needs a preset dictionary, which PNG forbids",
							null);
				}
				filled += n;
			}
		}
		catch (DataFormatException e) {
			throw new CorruptImageException("the PNG image data is corrupt: " + e.getMessage(), e);
		}
		return filled - from;
	}

	/** Undoes PNG filters 0-4 (None, Sub, Up, Average, Paeth) row by row, in place. */
	private static void unfilter(byte[] raw, int stride, int height, int bpp) {
		for (int y = 0; y < height; y++) {
			int p = y * stride + 1;
			int end = y * stride + stride;
			int filter = raw[p - 1];
			if (filter < 0 || filter > 4) {
				throw new CorruptImageException("PNG row " + y + " has filter type " + filter
						+ "; valid types are 0 to 4", null);
			}
			if (y == 0) {
				// Above the first row is zero: Up is None, Paeth is Sub, Average halves the left neighbour.
				for (int i = p + bpp; i < end; i++) {
					raw[i] += switch (filter) {
						case 1, 4 -> raw[i - bpp];
						case 3 -> (byte) ((raw[i - bpp] & 0xFF) >>> 1);
						default -> 0;
					};
				}
				continue;
			}
			switch (filter) {
				case 1 -> {
					for (int i = p + bpp; i < end; i++) {
						raw[i] += raw[i - bpp];
					}
				}
				case 2 -> {
					for (int i = p; i < end; i++) {
						raw[i] += raw[i - stride];
					}
				}
				case 3 -> {
					for (int i = p; i < p + bpp; i++) {
						raw[i] += (byte) ((raw[i - stride] & 0xFF) >>> 1);
					}
					for (int i = p + bpp; i < end; i++) {
						raw[i] += (byte) (((raw[i - bpp] & 0xFF) + (raw[i - stride] & 0xFF)) >>> 1);
					}
				}
				case 4 -> {
					for (int i = p; i < p + bpp; i++) {
						raw[i] += raw[i - stride]; // Paeth with no left neighbour picks the one above
					}
					for (int i = p + bpp; i < end; i++) {
						raw[i] += (byte) paeth(raw[i - bpp] & 0xFF, raw[i - stride] & 0xFF,
								raw[i - stride - bpp] & 0xFF);
					}
				}
				default -> {
				}
			}
		}
	}

	private static int paeth(int a, int b, int c) {
		int pa = Math.abs(b - c);
		int pb = Math.abs(a - c);
		int pc = Math.abs(a + b - 2 * c);
		return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
	}

	private static byte[] toRgb(byte[] raw, int stride, int width, int height, int bpp) {
		byte[] rgb = new byte[width * height * 3];
		for (int y = 0; y < height; y++) {
			int p = y * stride + 1;
			int o = y * width * 3;
			if (bpp == 3) {
				System.arraycopy(raw, p, rgb, o, width * 3);
				continue;
			}
			for (int x = 0; x < width; x++, p += 4, o += 3) {
				int a = raw[p + 3] & 0xFF;
				if (a == 255) {
					rgb[o] = raw[p];
					rgb[o + 1] = raw[p + 1];
					rgb[o + 2] = raw[p + 2];
					continue;
				}
				// The same integer compositing onto white as ImageDecoder's (qwen-vl-utils to_rgb, in Pillow).
				int white = 255 * (255 - a) + 127;
				rgb[o] = (byte) (((raw[p] & 0xFF) * a + white) / 255);
				rgb[o + 1] = (byte) (((raw[p + 1] & 0xFF) * a + white) / 255);
				rgb[o + 2] = (byte) (((raw[p + 2] & 0xFF) * a + white) / 255);
			}
		}
		return rgb;
	}

	private static CorruptImageException truncated(byte[] png, String what) {
		return new CorruptImageException("the PNG image (" + png.length + " bytes) is corrupt or truncated: " + what,
				null);
	}

	private static boolean type(byte[] png, int at, String type) {
		return png[at] == type.charAt(0) && png[at + 1] == type.charAt(1) && png[at + 2] == type.charAt(2)
				&& png[at + 3] == type.charAt(3);
	}

	private static int readInt(byte[] b, int at) {
		return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
	}

}
