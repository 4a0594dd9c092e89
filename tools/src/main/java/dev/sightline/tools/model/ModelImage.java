package dev.sightline.tools.model;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PilBicubic;
import dev.sightline.vision.preprocess.PngEncoder;
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
		return PngEncoder.encode(resized);
	}

}
