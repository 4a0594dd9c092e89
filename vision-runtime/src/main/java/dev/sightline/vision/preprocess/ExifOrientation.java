package dev.sightline.vision.preprocess;

/**
 * The EXIF orientation tag (0x0112) of a JPEG and the transpose that undoes it, as Pillow's
 * {@code ImageOps.exif_transpose}: phone photos and some cameras store pixels sideways and rely on this tag.
 */
final class ExifOrientation {

	static final int NORMAL = 1;

	private ExifOrientation() {
	}

	/** Orientation 1..8 from the first APP1 Exif segment before the image data; 1 when absent or unreadable. */
	static int ofJpeg(byte[] b) {
		int p = 2;
		while (p + 4 <= b.length) {
			if ((b[p] & 0xFF) != 0xFF) {
				return NORMAL;
			}
			int marker = b[p + 1] & 0xFF;
			if (marker == 0xFF) {
				p++; // fill byte
				continue;
			}
			if (marker == 0xDA || marker == 0xD9) {
				return NORMAL; // start of scan or end of image: no metadata follows
			}
			int length = u16(b, p + 2, false);
			if (marker == 0xE1 && length >= 16 && p + 2 + length <= b.length && b[p + 4] == 'E' && b[p + 5] == 'x'
					&& b[p + 6] == 'i' && b[p + 7] == 'f' && b[p + 8] == 0 && b[p + 9] == 0) {
				return tiffOrientation(b, p + 10, p + 2 + length);
			}
			p += 2 + length;
		}
		return NORMAL;
	}

	private static int tiffOrientation(byte[] b, int start, int end) {
		boolean little = b[start] == 'I' && b[start + 1] == 'I';
		if (!little && !(b[start] == 'M' && b[start + 1] == 'M')) {
			return NORMAL;
		}
		long ifd = u32(b, start + 4, little);
		if (ifd < 8 || start + ifd + 2 > end) {
			return NORMAL;
		}
		int entries = u16(b, start + (int) ifd, little);
		for (int i = 0; i < entries; i++) {
			int entry = start + (int) ifd + 2 + i * 12;
			if (entry + 12 > end) {
				return NORMAL;
			}
			if (u16(b, entry, little) == 0x0112) {
				int value = u16(b, entry + 8, little);
				return value >= 1 && value <= 8 ? value : NORMAL;
			}
		}
		return NORMAL;
	}

	/** Applies orientation {@code tag}: the returned image is upright. */
	static RgbImage apply(RgbImage in, int tag) {
		if (tag == NORMAL) {
			return in;
		}
		int w = in.widthPx();
		int h = in.heightPx();
		boolean swap = tag >= 5;
		int outW = swap ? h : w;
		int outH = swap ? w : h;
		byte[] src = in.rgb();
		byte[] dst = new byte[src.length];
		for (int y = 0; y < outH; y++) {
			for (int x = 0; x < outW; x++) {
				int sx;
				int sy;
				switch (tag) {
					case 2 -> { sx = w - 1 - x; sy = y; }
					case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
					case 4 -> { sx = x; sy = h - 1 - y; }
					case 5 -> { sx = y; sy = x; }
					case 6 -> { sx = y; sy = h - 1 - x; }
					case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
					default -> { sx = w - 1 - y; sy = x; }
				}
				System.arraycopy(src, (sy * w + sx) * 3, dst, (y * outW + x) * 3, 3);
			}
		}
		return RgbImage.of(dst, outW, outH);
	}

	private static int u16(byte[] b, int at, boolean little) {
		int b0 = b[at] & 0xFF;
		int b1 = b[at + 1] & 0xFF;
		return little ? b0 | (b1 << 8) : (b0 << 8) | b1;
	}

	private static long u32(byte[] b, int at, boolean little) {
		long lo = u16(b, little ? at : at + 2, little);
		long hi = u16(b, little ? at + 2 : at, little);
		return (hi << 16) | lo;
	}

}
