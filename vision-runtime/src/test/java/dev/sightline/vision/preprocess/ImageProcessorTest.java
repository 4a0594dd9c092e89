package dev.sightline.vision.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageProcessorTest {

	private final ImageProcessor processor = new ImageProcessor(ProcessorConfig.PUBLISHED);

	@Test
	void producesOneRowOf1176ValuesPerPatchWithTheSingleFrameRepeatedInTime() throws IOException {
		ProcessedImage image = processor.process(png(pattern(56, 84, BufferedImage.TYPE_3BYTE_BGR)),
				PixelBudget.PUBLISHED);
		assertThat(image.grid()).isEqualTo(new GridThw(1, 6, 4));
		assertThat(image.resized()).isEqualTo(new ImageSize(56, 84));
		assertThat(image.pixelValues()).hasSize(24 * 1176);
		// Temporal slot 1 (columns 196..391 of channel 0) repeats slot 0.
		float[] row = Arrays.copyOfRange(image.pixelValues(), 0, 1176);
		assertThat(Arrays.copyOfRange(row, 196, 392)).containsExactly(Arrays.copyOfRange(row, 0, 196));
	}

	@Test
	void rawRgbBufferGivesTheSameValuesAsItsPng() throws IOException {
		BufferedImage source = pattern(90, 70, BufferedImage.TYPE_3BYTE_BGR);
		byte[] rgb = new byte[90 * 70 * 3];
		for (int y = 0; y < 70; y++) {
			for (int x = 0; x < 90; x++) {
				int p = source.getRGB(x, y);
				rgb[(y * 90 + x) * 3] = (byte) (p >> 16);
				rgb[(y * 90 + x) * 3 + 1] = (byte) (p >> 8);
				rgb[(y * 90 + x) * 3 + 2] = (byte) p;
			}
		}
		ProcessedImage fromPng = processor.process(png(source), PixelBudget.PUBLISHED);
		ProcessedImage fromRaw = processor.process(RgbImage.of(rgb, 90, 70), PixelBudget.PUBLISHED);
		assertThat(fromRaw.pixelValues()).containsExactly(fromPng.pixelValues());
		assertThat(fromRaw.grid()).isEqualTo(fromPng.grid());
	}

	@Test
	void perRequestBudgetOverridesTheCheckpointDefault() throws IOException {
		ProcessedImage image = processor.process(png(pattern(1280, 720, BufferedImage.TYPE_3BYTE_BGR)),
				new PixelBudget(3136, 100_352));
		assertThat(image.resized()).isEqualTo(new ImageSize(420, 224));
	}

	@Test
	void decodesLosslessWebpToThePixelsOfTheSamePng() throws IOException {
		RgbImage webp = processor.decoder().decode(resource("/preprocess/gradient_40x30.webp"));
		RgbImage png = processor.decoder().decode(resource("/preprocess/gradient_40x30.png"));
		assertThat(webp.size()).isEqualTo(new ImageSize(40, 30));
		assertThat(webp.rgb()).containsExactly(png.rgb());
	}

	@Test
	void honoursJpegExifOrientation() throws IOException {
		BufferedImage source = new BufferedImage(40, 20, BufferedImage.TYPE_3BYTE_BGR);
		for (int y = 0; y < 20; y++) {
			for (int x = 0; x < 40; x++) {
				source.setRGB(x, y, x < 20 ? 0xFF0000 : 0x0000FF); // left red, right blue
			}
		}
		ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
		ImageIO.write(source, "jpeg", jpeg);
		// Orientation 6 = "rotate 90 clockwise to display": left (red) ends up on top.
		RgbImage upright = processor.decoder().decode(withExifOrientation(jpeg.toByteArray(), 6));
		assertThat(upright.size()).isEqualTo(new ImageSize(20, 40));
		assertThat(upright.rgb()[0] & 0xFF).isGreaterThan(200);
		assertThat(upright.rgb()[2] & 0xFF).isLessThan(60);
		int bottom = (39 * 20) * 3;
		assertThat(upright.rgb()[bottom + 2] & 0xFF).isGreaterThan(200);
	}

	@Test
	void rejectsImagesWithExtremeAspectRatio() throws IOException {
		assertThatThrownBy(() -> processor.process(png(pattern(3000, 10, BufferedImage.TYPE_3BYTE_BGR)),
				PixelBudget.PUBLISHED))
			.isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("aspect ratio must be at most 200")
			.hasMessageContaining("300");
	}

	@Test
	void rejectsDecompressionBombsFromTheHeaderBeforeDecoding() {
		// A PNG that declares 100000 x 100000 pixels but carries no pixel data at all.
		byte[] bomb = pngHeaderOnly(100_000, 100_000);
		assertThatThrownBy(() -> processor.process(bomb, PixelBudget.PUBLISHED))
			.isInstanceOf(ImageTooLargeException.class)
			.hasMessageContaining("100000x100000")
			.hasMessageContaining("ceiling of " + ImageDecoder.DEFAULT_MAX_PIXELS);
	}

	@Test
	void rejectsImagesAboveAConfiguredCeiling() throws IOException {
		ImageProcessor small = new ImageProcessor(ProcessorConfig.PUBLISHED, new ImageDecoder(1000));
		assertThatThrownBy(() -> small.process(png(pattern(40, 30, BufferedImage.TYPE_3BYTE_BGR)),
				PixelBudget.PUBLISHED))
			.isInstanceOf(ImageTooLargeException.class)
			.hasMessageContaining("1200 pixels, above the decoding ceiling of 1000");
	}

	@Test
	void rejectsTruncatedPng() throws IOException {
		byte[] full = png(pattern(200, 150, BufferedImage.TYPE_3BYTE_BGR));
		byte[] truncated = Arrays.copyOf(full, full.length / 2);
		assertThatThrownBy(() -> processor.process(truncated, PixelBudget.PUBLISHED))
			.isInstanceOf(CorruptImageException.class)
			.hasMessageContaining("corrupt or truncated");
	}

	@Test
	void rejectsTruncatedJpeg() throws IOException {
		ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
		ImageIO.write(pattern(200, 150, BufferedImage.TYPE_3BYTE_BGR), "jpeg", jpeg);
		byte[] truncated = Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2);
		assertThatThrownBy(() -> processor.process(truncated, PixelBudget.PUBLISHED))
			.isInstanceOf(CorruptImageException.class);
	}

	@Test
	void rejectsCorruptBytesBehindAValidSignature() {
		byte[] garbage = new byte[64];
		Arrays.fill(garbage, (byte) 7);
		System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 }, 0, garbage, 0, 8);
		assertThatThrownBy(() -> processor.process(garbage, PixelBudget.PUBLISHED))
			.isInstanceOf(CorruptImageException.class);
	}

	@Test
	void rejectsUnsupportedFormats() throws IOException {
		ByteArrayOutputStream gif = new ByteArrayOutputStream();
		ImageIO.write(pattern(10, 10, BufferedImage.TYPE_3BYTE_BGR), "gif", gif);
		assertThatThrownBy(() -> processor.process(gif.toByteArray(), PixelBudget.PUBLISHED))
			.isInstanceOf(UnsupportedImageFormatException.class)
			.hasMessageContaining("GIF")
			.hasMessageContaining("accepted formats are PNG, JPEG and WebP");
		assertThatThrownBy(() -> processor.process(new byte[0], PixelBudget.PUBLISHED))
			.isInstanceOf(UnsupportedImageFormatException.class)
			.hasMessageContaining("0 bytes");
	}

	@Test
	void readsBothPixelBudgetFormsOfPreprocessorConfig() throws IOException {
		var json = new com.fasterxml.jackson.databind.ObjectMapper();
		ProcessorConfig flat = ProcessorConfig.fromJson(json.readTree("{\"min_pixels\": 100, \"max_pixels\": 5000}"));
		ProcessorConfig sized = ProcessorConfig
			.fromJson(json.readTree("{\"size\": {\"shortest_edge\": 200, \"longest_edge\": 9000}}"));
		ProcessorConfig empty = ProcessorConfig.fromJson(json.readTree("{}"));
		assertThat(flat.budget()).isEqualTo(new PixelBudget(100, 5000));
		assertThat(sized.budget()).isEqualTo(new PixelBudget(200, 9000));
		assertThat(empty.budget()).isEqualTo(new PixelBudget(3136, 1_003_520));
		assertThat(empty.factor()).isEqualTo(28);
		assertThat(empty.patchValues()).isEqualTo(1176);
	}

	static BufferedImage pattern(int w, int h, int type) {
		BufferedImage image = new BufferedImage(w, h, type);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				image.setRGB(x, y, ((x * 7) & 0xFF) << 16 | ((y * 5) & 0xFF) << 8 | ((x * y) & 0xFF));
			}
		}
		return image;
	}

	static byte[] png(BufferedImage image) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = ImageProcessorTest.class.getResourceAsStream(name)) {
			return in.readAllBytes();
		}
	}

	private static byte[] pngHeaderOnly(int width, int height) {
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
			.put((byte) 0).put((byte) 0).put((byte) 0);
		ByteBuffer out = ByteBuffer.allocate(8 + 12 + 13 + 12);
		out.put(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IEND", new byte[0]);
		return out.array();
	}

	private static void chunk(ByteBuffer out, String type, byte[] data) {
		out.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
		CRC32 crc = new CRC32();
		crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		crc.update(data);
		out.putInt((int) crc.getValue());
	}

	/** Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with only the orientation tag) after SOI. */
	private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
		ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
		tiff.put(new byte[] { 'M', 'M', 0, 42 }).putInt(8).putShort((short) 1);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putInt(0);
		byte[] payload = tiff.array();
		ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + payload.length);
		app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + payload.length));
		app1.put(new byte[] { 'E', 'x', 'i', 'f', 0, 0 }).put(payload);
		byte[] out = new byte[jpeg.length + app1.capacity()];
		System.arraycopy(jpeg, 0, out, 0, 2);
		System.arraycopy(app1.array(), 0, out, 2, app1.capacity());
		System.arraycopy(jpeg, 2, out, 2 + app1.capacity(), jpeg.length - 2);
		return out;
	}

}
