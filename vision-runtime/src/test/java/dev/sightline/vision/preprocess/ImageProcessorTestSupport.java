package dev.sightline.vision.preprocess;

import java.awt.image.BufferedImage;
import java.io.IOException;

/** PNG encoding for tests of other packages. */
public final class ImageProcessorTestSupport {

	private ImageProcessorTestSupport() {
	}

	public static byte[] png(BufferedImage image) throws IOException {
		return ImageProcessorTest.png(image);
	}

	public static BufferedImage pattern(int w, int h) {
		return ImageProcessorTest.pattern(w, h, BufferedImage.TYPE_3BYTE_BGR);
	}

}
