package dev.sightline.tools.execute;

import dev.sightline.tools.ToolsException;

/** Width and height from a PNG's IHDR chunk, without decoding the image (a decode costs more than the capture). */
public final class PngSize {

	private PngSize() {
	}

	public static int width(byte[] png) {
		return field(png, 16);
	}

	public static int height(byte[] png) {
		return field(png, 20);
	}

	private static int field(byte[] png, int offset) {
		if (png.length < 24 || (png[0] & 0xff) != 0x89 || png[1] != 'P' || png[12] != 'I' || png[15] != 'R') {
			throw new ToolsException("screenshot is not a PNG (" + png.length + " bytes)");
		}
		return ((png[offset] & 0xff) << 24) | ((png[offset + 1] & 0xff) << 16) | ((png[offset + 2] & 0xff) << 8)
				| (png[offset + 3] & 0xff);
	}

}
