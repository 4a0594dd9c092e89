package dev.sightline.vision.preprocess;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PngRgbDecoderTest {

	private static final PngRgbDecoder.SizeCheck ANY_SIZE = (w, h) -> {
	};

	@Test
	void undoesEveryRowFilterExactlyAsImageIoDoes() throws IOException {
		for (int bpp : new int[] { 3, 4 }) {
			byte[] samples = smoothNoise(53, 41, bpp, 3);
			// Row y uses filter y % 5, so None, Sub, Up, Average and Paeth all follow every other filter.
			byte[] png = png(53, 41, bpp, samples, y -> y % 5);
			RgbImage direct = PngRgbDecoder.decode(png, ANY_SIZE);
			assertThat(direct).isNotNull();
			assertThat(direct.rgb()).as("%d bytes per pixel", bpp).isEqualTo(imageIo(png).rgb());
		}
	}

	@Test
	void readsImageDataSplitOverManyChunksAcrossRowBoundaries() throws IOException {
		byte[] samples = smoothNoise(53, 41, 3, 5);
		byte[] whole = png(53, 41, 3, samples, y -> y % 5);
		// Re-chunk the one IDAT into 37-byte pieces (encoders such as libpng write 8 KiB ones): rows straddle chunks.
		int idatAt = 8 + 12 + 13;
		int length = ByteBuffer.wrap(whole, idatAt, 4).getInt();
		byte[] data = Arrays.copyOfRange(whole, idatAt + 8, idatAt + 8 + length);
		ByteArrayOutputStream split = new ByteArrayOutputStream();
		split.write(whole, 0, idatAt);
		for (int at = 0; at < data.length; at += 37) {
			chunk(split, "IDAT", Arrays.copyOfRange(data, at, Math.min(data.length, at + 37)));
		}
		chunk(split, "IEND", new byte[0]);
		byte[] png = split.toByteArray();

		assertThat(PngRgbDecoder.decode(png, ANY_SIZE).rgb()).isEqualTo(imageIo(whole).rgb());
	}

	@Test
	void firstRowFiltersReadZerosAbove() throws IOException {
		for (int filter = 0; filter <= 4; filter++) {
			int f = filter;
			byte[] png = png(9, 1, 3, smoothNoise(9, 1, 3, f), y -> f);
			assertThat(PngRgbDecoder.decode(png, ANY_SIZE).rgb()).as("filter %d", f).isEqualTo(imageIo(png).rgb());
		}
	}

	@Test
	void compositesAlphaOntoWhiteLikeTheImageIoPath() throws IOException {
		BufferedImage argb = new BufferedImage(64, 30, BufferedImage.TYPE_INT_ARGB);
		Random random = new Random(5);
		for (int y = 0; y < 30; y++) {
			for (int x = 0; x < 64; x++) {
				argb.setRGB(x, y, random.nextInt());
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(argb, "png", out);
		byte[] png = out.toByteArray();
		assertThat(PngRgbDecoder.decode(png, ANY_SIZE).rgb()).isEqualTo(imageIo(png).rgb());
		assertThat(new ImageDecoder().decode(png).rgb()).isEqualTo(imageIo(png).rgb());
	}

	@Test
	void leavesGreyPaletteSixteenBitAndColourKeyedPngsToImageIo() throws IOException {
		for (int type : new int[] { BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_BYTE_INDEXED,
				BufferedImage.TYPE_USHORT_GRAY }) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(new BufferedImage(8, 8, type), "png", out);
			assertThat(PngRgbDecoder.decode(out.toByteArray(), ANY_SIZE)).as("image type %d", type).isNull();
			assertThat(new ImageDecoder().decode(out.toByteArray()).size()).isEqualTo(new ImageSize(8, 8));
		}
		byte[] keyed = withChunkBeforeIdat(png(4, 4, 3, new byte[48], y -> 0), "tRNS", new byte[6]);
		assertThat(PngRgbDecoder.decode(keyed, ANY_SIZE)).isNull();
	}

	@Test
	void rejectsTruncatedImageData() throws IOException {
		byte[] png = png(40, 40, 3, smoothNoise(40, 40, 3, 9), y -> 1);
		byte[] cut = Arrays.copyOf(png, png.length / 2);
		assertThatThrownBy(() -> PngRgbDecoder.decode(cut, ANY_SIZE)).isInstanceOf(CorruptImageException.class)
			.hasMessageContaining("truncated");
	}

	@Test
	void rejectsAnUnknownRowFilter() throws IOException {
		byte[] png = png(6, 3, 3, new byte[54], y -> y == 2 ? 7 : 0);
		assertThatThrownBy(() -> PngRgbDecoder.decode(png, ANY_SIZE)).isInstanceOf(CorruptImageException.class)
			.hasMessageContaining("filter type 7");
	}

	@Test
	void checksTheHeaderSizeBeforeInflating() throws IOException {
		byte[] png = png(30, 20, 3, new byte[30 * 20 * 3], y -> 0);
		assertThatThrownBy(() -> new ImageDecoder(599).decode(png)).isInstanceOf(ImageTooLargeException.class)
			.hasMessageContaining("600 pixels")
			.hasMessageContaining("599");
	}

	private static RgbImage imageIo(byte[] png) throws IOException {
		return ImageDecoder.toRgb(ImageIO.read(new ByteArrayInputStream(png)));
	}

	/** Neighbouring samples close but not equal, so every filter produces varied, wrapping differences. */
	private static byte[] smoothNoise(int w, int h, int bpp, long seed) {
		Random random = new Random(seed);
		byte[] samples = new byte[w * h * bpp];
		for (int i = 0; i < samples.length; i++) {
			samples[i] = (byte) (i % 7 == 0 ? random.nextInt(256) : (i * 13 + random.nextInt(9)));
		}
		return samples;
	}

	/** An 8-bit RGB (bpp 3) or RGBA (bpp 4) PNG whose row y is written with filter {@code filterOf(y)}. */
	private static byte[] png(int w, int h, int bpp, byte[] samples, java.util.function.IntUnaryOperator filterOf) {
		int stride = w * bpp;
		byte[] filtered = new byte[(stride + 1) * h];
		for (int y = 0; y < h; y++) {
			int filter = filterOf.applyAsInt(y);
			filtered[y * (stride + 1)] = (byte) filter;
			for (int i = 0; i < stride; i++) {
				int x = samples[y * stride + i] & 0xFF;
				int a = i >= bpp ? samples[y * stride + i - bpp] & 0xFF : 0;
				int b = y > 0 ? samples[(y - 1) * stride + i] & 0xFF : 0;
				int c = y > 0 && i >= bpp ? samples[(y - 1) * stride + i - bpp] & 0xFF : 0;
				int predicted = switch (filter) {
					case 1 -> a;
					case 2 -> b;
					case 3 -> (a + b) / 2;
					case 4 -> paeth(a, b, c);
					default -> 0;
				};
				filtered[y * (stride + 1) + 1 + i] = (byte) (x - predicted);
			}
		}
		Deflater deflater = new Deflater();
		deflater.setInput(filtered);
		deflater.finish();
		byte[] buffer = new byte[filtered.length + 1024];
		int n = deflater.deflate(buffer);
		deflater.end();
		ByteBuffer header = ByteBuffer.allocate(13).putInt(w).putInt(h);
		header.put((byte) 8).put((byte) (bpp == 3 ? 2 : 6)).put((byte) 0).put((byte) 0).put((byte) 0);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		chunk(png, "IHDR", header.array());
		chunk(png, "IDAT", Arrays.copyOf(buffer, n));
		chunk(png, "IEND", new byte[0]);
		return png.toByteArray();
	}

	private static byte[] withChunkBeforeIdat(byte[] png, String type, byte[] data) {
		int idat = 8 + 12 + 13;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, idat);
		chunk(out, type, data);
		out.write(png, idat, png.length - idat);
		return out.toByteArray();
	}

	private static int paeth(int a, int b, int c) {
		int p = a + b - c;
		int pa = Math.abs(p - a);
		int pb = Math.abs(p - b);
		int pc = Math.abs(p - c);
		return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

}
