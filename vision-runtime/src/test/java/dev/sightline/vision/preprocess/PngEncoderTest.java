package dev.sightline.vision.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PngEncoderTest {

	@Test
	void encodesPixelsThatAStandardDecoderReadsBackExactly() throws Exception {
		RgbImage image = noiseAndRuns(123, 47, 7);
		BufferedImage read = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(image)));
		assertThat(read.getWidth()).isEqualTo(123);
		assertThat(read.getHeight()).isEqualTo(47);
		byte[] rgb = image.rgb();
		for (int y = 0; y < 47; y++) {
			for (int x = 0; x < 123; x++) {
				int at = (y * 123 + x) * 3;
				int expected = (rgb[at] & 0xFF) << 16 | (rgb[at + 1] & 0xFF) << 8 | (rgb[at + 2] & 0xFF);
				assertThat(read.getRGB(x, y) & 0xFFFFFF).as("pixel (%d, %d)", x, y).isEqualTo(expected);
			}
		}
	}

	@Test
	void encodesAScreenSizedImageInSeveralDataChunksThatOurDecoderReadsBack() {
		RgbImage image = noiseAndRuns(1280, 720, 1);
		byte[] png = PngEncoder.encode(image);
		assertThat(new ImageDecoder().decode(png).rgb()).isEqualTo(image.rgb());
	}

	@Test
	void encodesASinglePixel() {
		RgbImage image = RgbImage.of(new byte[] { 10, 20, 30 }, 1, 1);
		assertThat(new ImageDecoder().decode(PngEncoder.encode(image)).rgb()).containsExactly(10, 20, 30);
	}

	/** Half noise, half flat runs: both the literal and the match paths of deflate are exercised. */
	static RgbImage noiseAndRuns(int width, int height, long seed) {
		Random random = new Random(seed);
		byte[] rgb = new byte[width * height * 3];
		for (int i = 0; i < width * height; i++) {
			int pixel = i % 2 == 0 ? random.nextInt(0x1000000) : 0x336699;
			rgb[i * 3] = (byte) (pixel >> 16);
			rgb[i * 3 + 1] = (byte) (pixel >> 8);
			rgb[i * 3 + 2] = (byte) pixel;
		}
		return RgbImage.of(rgb, width, height);
	}

}
