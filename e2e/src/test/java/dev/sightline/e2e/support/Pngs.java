package dev.sightline.e2e.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

import javax.imageio.ImageIO;

/** Reads PNGs the service and the model received. */
public final class Pngs {

	private Pngs() {
	}

	public static BufferedImage read(byte[] png) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		if (image == null) {
			throw new IOException("not an image: " + png.length + " bytes");
		}
		return image;
	}

	/** {@code [width, height]}. */
	public static int[] size(byte[] png) throws IOException {
		BufferedImage image = read(png);
		return new int[] { image.getWidth(), image.getHeight() };
	}

	public static byte[] fromDataUrl(String url) {
		if (!url.startsWith("data:image/png;base64,")) {
			throw new IllegalArgumentException("not a PNG data URL: " + url.substring(0, Math.min(40, url.length())));
		}
		return Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
	}

}
