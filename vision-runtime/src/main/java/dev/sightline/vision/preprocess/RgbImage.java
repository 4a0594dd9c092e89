package dev.sightline.vision.preprocess;

import java.util.Objects;

/**
 * A decoded 8-bit RGB image, interleaved row-major ({@code rgb[(y * width + x) * 3 + c]}): what decoding produces and
 * what the resampler works on, without {@code BufferedImage} boxing.
 */
public record RgbImage(byte[] rgb, ImageSize size) {

	public RgbImage {
		Objects.requireNonNull(rgb, "rgb");
		Objects.requireNonNull(size, "size");
		if (rgb.length != size.pixels() * 3) {
			throw new InvalidImageException("an RGB buffer of " + size + " needs " + size.pixels() * 3
					+ " bytes, got " + rgb.length);
		}
	}

	public static RgbImage of(byte[] rgb, int widthPx, int heightPx) {
		return new RgbImage(rgb, new ImageSize(widthPx, heightPx));
	}

	public int widthPx() {
		return size.widthPx();
	}

	public int heightPx() {
		return size.heightPx();
	}

}
