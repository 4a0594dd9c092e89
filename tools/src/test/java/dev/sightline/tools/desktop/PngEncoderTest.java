package dev.sightline.tools.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.execute.PngSize;

class PngEncoderTest {

	@Test
	void encodesPixelsThatAStandardDecoderReadsBackExactly() throws Exception {
		int width = 123;
		int height = 47;
		int[] rgb = new int[width * height];
		Random random = new Random(7);
		for (int i = 0; i < rgb.length; i++) {
			// Half noise, half flat runs: both the literal and the match paths of deflate are exercised.
			rgb[i] = i % 2 == 0 ? random.nextInt(0x1000000) : 0x336699;
		}
		byte[] png = PngEncoder.encode(rgb, width, height);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(PngSize.width(png)).isEqualTo(width);
		assertThat(PngSize.height(png)).isEqualTo(height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				assertThat(image.getRGB(x, y) & 0xFFFFFF).as("pixel (%d, %d)", x, y).isEqualTo(rgb[y * width + x]);
			}
		}
	}

	@Test
	void encodesAScreenSizedImageInSeveralDataChunks() throws Exception {
		int[] rgb = new Random(1).ints(1280 * 720, 0, 0x1000000).toArray();
		byte[] png = PngEncoder.encode(rgb, 1280, 720);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(image.getRGB(1279, 719) & 0xFFFFFF).isEqualTo(rgb[rgb.length - 1]);
	}

	@Test
	void rejectsPixelCountsThatDoNotMatchTheSize() {
		assertThatThrownBy(() -> PngEncoder.encode(new int[10], 4, 3)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("4x3 needs 12 pixels, got 10");
		assertThatThrownBy(() -> PngEncoder.encode(new int[0], 0, 0)).isInstanceOf(IllegalArgumentException.class);
	}

}
