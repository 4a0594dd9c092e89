package dev.sightline.vision.preprocess;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PilBicubicTest {

	@Test
	void parallelAndSerialResizeProduceIdenticalBytesForManySizes() {
		Random random = new Random(20250325L);
		for (int i = 0; i < 60; i++) {
			// Odd sizes, up and down scaling on each axis independently, one-pixel and unchanged sides.
			int inW = 1 + random.nextInt(i % 4 == 0 ? 700 : 160);
			int inH = 1 + random.nextInt(i % 4 == 0 ? 500 : 160);
			int outW = i % 7 == 0 ? inW : 1 + random.nextInt(i % 3 == 0 ? 40 : 400);
			int outH = i % 5 == 0 ? inH : 1 + random.nextInt(i % 3 == 0 ? 40 : 400);
			byte[] rgb = new byte[inW * inH * 3];
			random.nextBytes(rgb);
			RgbImage in = RgbImage.of(rgb, inW, inH);
			ImageSize out = new ImageSize(outW, outH);
			RgbImage serial = PilBicubic.resize(in, out, false);
			RgbImage parallel = PilBicubic.resize(in, out, true);
			assertThat(parallel.size()).isEqualTo(out);
			assertThat(parallel.rgb()).as("%dx%d -> %s", inW, inH, out).isEqualTo(serial.rgb());
		}
	}

	@Test
	void resizeMatchesThePlainPortByteForByte() {
		Random random = new Random(20261203L);
		// Screen sizes (near-identity upscales, where the SIMD runs carry most pixels) and random ones of every kind.
		int[][] sizes = { { 1280, 720, 1288, 728 }, { 1920, 1080, 1316, 756 }, { 1366, 768, 1372, 784 },
				{ 800, 600, 812, 616 }, { 640, 480, 1288, 952 }, { 333, 517, 336, 532 }, { 40, 30, 56, 28 } };
		for (int i = 0; i < 40 + sizes.length; i++) {
			int inW;
			int inH;
			int outW;
			int outH;
			if (i < sizes.length) {
				inW = sizes[i][0];
				inH = sizes[i][1];
				outW = sizes[i][2];
				outH = sizes[i][3];
			}
			else {
				inW = 1 + random.nextInt(i % 4 == 0 ? 700 : 160);
				inH = 1 + random.nextInt(i % 4 == 0 ? 500 : 160);
				outW = i % 7 == 0 ? inW : Math.max(1, inW + random.nextInt(80) - (i % 3 == 0 ? 60 : 20));
				outH = i % 5 == 0 ? inH : 1 + random.nextInt(i % 3 == 0 ? 40 : 400);
			}
			byte[] rgb = new byte[inW * inH * 3];
			random.nextBytes(rgb);
			RgbImage in = RgbImage.of(rgb, inW, inH);
			ImageSize out = new ImageSize(outW, outH);
			byte[] expected = PilBicubicReference.resize(in, out, false).rgb();
			assertThat(PilBicubic.resize(in, out, false).rgb()).as("serial %dx%d -> %s", inW, inH, out)
				.isEqualTo(expected);
			assertThat(PilBicubic.resize(in, out, true).rgb()).as("parallel %dx%d -> %s", inW, inH, out)
				.isEqualTo(expected);
		}
	}

	@Test
	void screenshotSizedResizeIsTheSameOnBothPaths() {
		byte[] rgb = new byte[1280 * 720 * 3];
		new Random(1).nextBytes(rgb);
		RgbImage in = RgbImage.of(rgb, 1280, 720);
		for (ImageSize out : new ImageSize[] { new ImageSize(1288, 728), new ImageSize(644, 364),
				new ImageSize(1288, 720), new ImageSize(1280, 364) }) {
			assertThat(PilBicubic.resize(in, out, true).rgb()).as("%s", out)
				.isEqualTo(PilBicubic.resize(in, out, false).rgb());
		}
	}

	@Test
	void sameSizeReturnsAnEqualCopy() {
		byte[] rgb = { 1, 2, 3, 4, 5, 6 };
		RgbImage in = RgbImage.of(rgb, 2, 1);
		RgbImage out = PilBicubic.resize(in, new ImageSize(2, 1));
		assertThat(out.rgb()).isEqualTo(rgb).isNotSameAs(rgb);
	}

	@Test
	void flatColourStaysFlatWhenScaledEitherWay() {
		byte[] rgb = new byte[37 * 23 * 3];
		for (int i = 0; i < rgb.length; i += 3) {
			rgb[i] = (byte) 200;
			rgb[i + 1] = 17;
			rgb[i + 2] = (byte) 255;
		}
		for (ImageSize out : new ImageSize[] { new ImageSize(101, 9), new ImageSize(5, 60) }) {
			byte[] resized = PilBicubic.resize(RgbImage.of(rgb, 37, 23), out).rgb();
			for (int i = 0; i < resized.length; i += 3) {
				assertThat(new int[] { resized[i] & 0xFF, resized[i + 1] & 0xFF, resized[i + 2] & 0xFF })
					.containsExactly(200, 17, 255);
			}
		}
	}

}
