package dev.sightline.vision.preprocess;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A direct decoder for the PNGs screenshots are: 8-bit RGB or RGBA, not interlaced, no transparency chunk. It
 * inflates the IDAT data row by row into two row buffers and undoes each row's filter against the one before, which is
 * about a third cheaper than {@code javax.imageio} (no per-row streams, no raster, one copy less). Anything else
 * returns {@code null} so that {@link ImageDecoder} uses ImageIO, which handles every PNG the same way as before.
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
		long expected = (long) stride * height;
		// The image data in order: a colour key anywhere sends the whole file to ImageIO.
		int[] idat = new int[16];
		int chunks = 0;
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
			if (type(png, at + 4, "IDAT")) {
				if (chunks * 2 == idat.length) {
					idat = java.util.Arrays.copyOf(idat, idat.length * 2);
				}
				idat[chunks * 2] = at + 8;
				idat[chunks * 2 + 1] = length;
				chunks++;
			}
			at += 12 + length;
		}
		// Row by row through two row buffers: the Up filter (what Chromium writes) is then an element-wise add of two
		// arrays, which the JIT turns into SIMD, and no whole-image buffer of filtered bytes is needed.
		byte[] rgb = new byte[Math.multiplyExact(width * 3, height)];
		byte[] previous = new byte[stride];
		byte[] row = new byte[stride];
		Inflater inflater = new Inflater();
		try {
			long filled = 0;
			int next = 0;
			for (int y = 0; y < height; y++) {
				int got = 0;
				while (got < stride) {
					if (inflater.needsInput()) {
						if (next == chunks) {
							throw truncated(png, "the image data ends after " + (filled + got) + " of " + expected
									+ " bytes");
						}
						inflater.setInput(png, idat[next * 2], idat[next * 2 + 1]);
						next++;
					}
					int n = inflate(inflater, row, got);
					if (n == 0 && inflater.finished()) {
						throw truncated(png, "the image data ends after " + (filled + got) + " of " + expected
								+ " bytes");
					}
					got += n;
				}
				filled += stride;
				unfilter(row, previous, y, bpp);
				toRgb(row, rgb, y * width * 3, width, bpp);
				byte[] swap = previous;
				previous = row;
				row = swap;
			}
		}
		finally {
			inflater.end();
		}
		return RgbImage.of(rgb, width, height);
	}

	private static int inflate(Inflater inflater, byte[] row, int from) {
		try {
			int n = inflater.inflate(row, from, row.length - from);
			if (n == 0 && inflater.needsDictionary()) {
				throw new CorruptImageException("the PNG image data needs a preset dictionary, which PNG forbids",
						null);
			}
			return n;
		}
		catch (DataFormatException e) {
			throw new CorruptImageException("the PNG image data is corrupt: " + e.getMessage(), e);
		}
	}

	/** Undoes row {@code y}'s filter (None, Sub, Up, Average, Paeth) in place; {@code above} is the row before. */
	private static void unfilter(byte[] row, byte[] above, int y, int bpp) {
		int end = row.length;
		int filter = row[0];
		if (filter < 0 || filter > 4) {
			throw new CorruptImageException("PNG row " + y + " has filter type " + filter + "; valid types are 0 to 4",
					null);
		}
		if (y == 0) {
			// Above the first row is zero: Up is None, Paeth is Sub, Average halves the left neighbour.
			for (int i = 1 + bpp; i < end; i++) {
				row[i] += switch (filter) {
					case 1, 4 -> row[i - bpp];
					case 3 -> (byte) ((row[i - bpp] & 0xFF) >>> 1);
					default -> 0;
				};
			}
			return;
		}
		switch (filter) {
			case 1 -> {
				for (int i = 1 + bpp; i < end; i++) {
					row[i] += row[i - bpp];
				}
			}
			case 2 -> {
				for (int i = 1; i < end; i++) {
					row[i] += above[i];
				}
			}
			case 3 -> {
				for (int i = 1; i < 1 + bpp; i++) {
					row[i] += (byte) ((above[i] & 0xFF) >>> 1);
				}
				for (int i = 1 + bpp; i < end; i++) {
					row[i] += (byte) (((row[i - bpp] & 0xFF) + (above[i] & 0xFF)) >>> 1);
				}
			}
			case 4 -> {
				for (int i = 1; i < 1 + bpp; i++) {
					row[i] += above[i]; // Paeth with no left neighbour picks the one above
				}
				for (int i = 1 + bpp; i < end; i++) {
					row[i] += (byte) paeth(row[i - bpp] & 0xFF, above[i] & 0xFF, above[i - bpp] & 0xFF);
				}
			}
			default -> {
			}
		}
	}

	private static int paeth(int a, int b, int c) {
		int pa = Math.abs(b - c);
		int pb = Math.abs(a - c);
		int pc = Math.abs(a + b - 2 * c);
		return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
	}

	/** One unfiltered row (after its filter byte) into the RGB image at {@code o}, alpha composited onto white. */
	private static void toRgb(byte[] row, byte[] rgb, int o, int width, int bpp) {
		if (bpp == 3) {
			System.arraycopy(row, 1, rgb, o, width * 3);
			return;
		}
		for (int x = 0, p = 1; x < width; x++, p += 4, o += 3) {
			int a = row[p + 3] & 0xFF;
			if (a == 255) {
				rgb[o] = row[p];
				rgb[o + 1] = row[p + 1];
				rgb[o + 2] = row[p + 2];
				continue;
			}
			// The same integer compositing onto white as ImageDecoder's (qwen-vl-utils to_rgb, in Pillow).
			int white = 255 * (255 - a) + 127;
			rgb[o] = (byte) (((row[p] & 0xFF) * a + white) / 255);
			rgb[o + 1] = (byte) (((row[p + 1] & 0xFF) * a + white) / 255);
			rgb[o + 2] = (byte) (((row[p + 2] & 0xFF) * a + white) / 255);
		}
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
