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
		StepMarker marker = StepMarker.of(new Step.Coordinates(302, 201, 1288, 728, 1280, 720, 300.0, 199.0));

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

	@Test
	void neverDecodesAnImageWhoseHeaderDeclaresMoreThanTheCap() throws IOException {
		// A valid grey PNG one row taller than 8K allows (35 KB compressed, 34 MP): refused from its header.
		byte[] tooLarge = greyPng(7680, 4321);
		// 40000 x 40000 declared in the header, a few bytes of data: decoding would allocate 4.8 GB first.
		byte[] bomb = greyPng(40_000, 40_000, 4);

		assertThat(ReportImages.jpeg(tooLarge, null)).isNull();
		assertThat(ReportImages.jpeg(bomb, null)).isNull();
		assertThat(ReportImages.jpeg(greyPng(7680, 4320), null)).isNotNull();
	}

	static byte[] greyPng(int widthPx, int heightPx) throws IOException {
		return greyPng(widthPx, heightPx, heightPx);
	}

	/** An 8-bit grey PNG of the given size whose data holds {@code rows} black rows (fewer: truncated). */
	static byte[] greyPng(int widthPx, int heightPx, int rows) throws IOException {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(widthPx).putInt(heightPx);
		ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
		chunk(out, "IHDR", ihdr.array());
		java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
		byte[] row = new byte[widthPx + 1];
		try (var deflate = new java.util.zip.DeflaterOutputStream(idat)) {
			for (int y = 0; y < rows; y++) {
				deflate.write(row);
			}
		}
		chunk(out, "IDAT", idat.toByteArray());
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		crc.update(data);
		out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
		out.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		out.write(data);
		out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private static byte[] png(int widthPx, int heightPx) throws IOException {
		BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, widthPx, heightPx);
		g.dispose();
		return encode(image);
	}

	/** A page-like screenshot: rows of text on white with coloured blocks. */
	private static byte[] noisyPng(int widthPx, int heightPx) throws IOException {
		BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, widthPx, heightPx);
		g.setColor(new Color(30, 90, 200));
		g.fillRect(0, 0, widthPx, 60);
		g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 14));
		for (int y = 90; y < heightPx; y += 18) {
			g.setColor(y % 5 == 0 ? new Color(180, 40, 40) : Color.DARK_GRAY);
			g.drawString("Invoice 2024-03 total 1,234.56 EUR due 31 March, status paid, reference " + y, 20, y);
			g.drawString("Lorem ipsum dolor sit amet, consectetur adipiscing elit " + y * 7, 660, y);
		}
		g.dispose();
		return encode(image);
	}

	private static byte[] encode(BufferedImage image) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

}
