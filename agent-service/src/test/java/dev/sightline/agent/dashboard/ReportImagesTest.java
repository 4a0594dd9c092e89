package dev.sightline.agent.dashboard;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.task.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportImagesTest {

	@Test
	void mapsTheModelPointBackToScreenshotPixels() {
		StepMarker marker = StepMarker.of(new Step.Coordinates(302, 201, 1288, 728, 1280, 720, 300, 199));

		assertThat(marker.xPx()).isCloseTo(300.12, within(0.01));
		assertThat(marker.yPx()).isCloseTo(198.79, within(0.01));
		assertThat(StepMarker.of(null)).isNull();
	}

	@Test
	void downscalesToAJpegWithTheMarkerAtTheScaledPoint() throws IOException {
		byte[] jpeg = ReportImages.jpeg(png(1600, 900), new StepMarker(1000, 500));

		BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
		assertThat(image.getWidth()).isEqualTo(ReportImages.MAX_WIDTH_PX);
		assertThat(image.getHeight()).isEqualTo(450);
		// 1000 x 0.5 = 500, 500 x 0.5 = 250: the marker's centre, JPEG-blurred a little.
		Color centre = new Color(image.getRGB(500, 250));
		assertThat(centre.getRed()).isGreaterThan(200);
		assertThat(centre.getGreen()).isLessThan(70);
		assertThat(centre.getBlue()).isGreaterThan(150);
		Color away = new Color(image.getRGB(100, 100));
		assertThat(away.getGreen()).isGreaterThan(200);
	}

	@Test
	void keepsA200StepReportWellUnder30Megabytes() throws IOException {
		byte[] busy = noisyPng(1280, 720);
		byte[] jpeg = ReportImages.jpeg(busy, new StepMarker(640, 360));

		assertThat(jpeg.length * 4L / 3 * 200).as("base64 screenshots of 200 steps").isLessThan(30L * 1024 * 1024);
		assertThat(ReportImages.jpeg(new byte[] { 1, 2, 3 }, null)).isNull();
	}

	private static byte[] png(int widthPx, int heightPx) throws IOException {
		BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, widthPx, heightPx);
		g.dispose();
		return encode(image);
	}

	/** Text-like noise: the worst case for JPEG size among realistic screenshots. */
	private static byte[] noisyPng(int widthPx, int heightPx) throws IOException {
		BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
		java.util.Random random = new java.util.Random(7);
		for (int y = 0; y < heightPx; y++) {
			for (int x = 0; x < widthPx; x++) {
				image.setRGB(x, y, random.nextInt(4) == 0 ? 0x202020 : 0xf8f8f8);
			}
		}
		return encode(image);
	}

	private static byte[] encode(BufferedImage image) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
