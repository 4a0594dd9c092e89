package dev.sightline.vision.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * PNG, JPEG or WebP bytes to 8-bit RGB (spec §4.3 step 1, golden README "RGB conversion"). The pixel count is read
 * from the header and checked against a ceiling before any pixel is decoded. Images with alpha (RGBA, grey+alpha,
 * palette with transparency) are composited onto white as qwen-vl-utils' {@code to_rgb} does; JPEG EXIF orientation
 * is applied. Samples are read from the raster, never through {@code getRGB}, which would colour-manage grey images.
 */
public final class ImageDecoder {

	/** Pillow's default {@code MAX_IMAGE_PIXELS}: an 8K screenshot (33 MP) passes, a decompression bomb does not. */
	public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

	private final long maxPixels;

	public ImageDecoder() {
		this(DEFAULT_MAX_PIXELS);
	}

	public ImageDecoder(long maxPixels) {
		if (maxPixels < 1) {
			throw new IllegalArgumentException("the decoded pixel ceiling must be at least 1, got " + maxPixels);
		}
		this.maxPixels = maxPixels;
	}

	public long maxPixels() {
		return maxPixels;
	}

	/** The width and height the header declares, without decoding pixels. */
	public ImageSize probe(byte[] encoded) {
		ImageFormat format = format(encoded);
		ImageReader reader = reader(format);
		try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
			reader.setInput(stream, true, true);
			return headerSize(reader, format, encoded);
		}
		catch (IOException e) {
			throw new CorruptImageException("cannot read the " + format + " header: " + e.getMessage(), e);
		}
		finally {
			reader.dispose();
		}
	}

	public RgbImage decode(byte[] encoded) {
		ImageFormat format = format(encoded);
		if (format == ImageFormat.PNG) {
			// 8-bit RGB/RGBA screenshots take the direct decoder; every other PNG goes through ImageIO below.
			RgbImage direct = PngRgbDecoder.decode(encoded, (w, h) -> checkedSize(format, w, h));
			if (direct != null) {
				return direct;
			}
		}
		ImageReader reader = reader(format);
		BufferedImage image;
		try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
			reader.setInput(stream, true, true);
			headerSize(reader, format, encoded);
			AtomicReference<String> truncated = new AtomicReference<>();
			reader.addIIOReadWarningListener(new IIOReadWarningListener() {
				@Override
				public void warningOccurred(ImageReader source, String warning) {
					// libjpeg reports a cut-off JPEG as a warning and fills the rest grey; we reject it.
					if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
						truncated.set(warning);
					}
				}
			});
			image = reader.read(0);
			if (truncated.get() != null) {
				throw new CorruptImageException("the " + format + " data is truncated (" + truncated.get() + ")",
						null);
			}
		}
		catch (IOException | RuntimeException e) {
			if (e instanceof InvalidImageException invalid) {
				throw invalid;
			}
			throw new CorruptImageException("cannot decode the " + format + " image (" + encoded.length
					+ " bytes), it is corrupt or truncated: " + e, e);
		}
		finally {
			reader.dispose();
		}
		RgbImage rgb = toRgb(image);
		return format == ImageFormat.JPEG ? ExifOrientation.apply(rgb, ExifOrientation.ofJpeg(encoded)) : rgb;
	}

	private ImageSize headerSize(ImageReader reader, ImageFormat format, byte[] encoded) throws IOException {
		return checkedSize(format, reader.getWidth(0), reader.getHeight(0));
	}

	private ImageSize checkedSize(ImageFormat format, int width, int height) {
		if (width <= 0 || height <= 0) {
			throw new CorruptImageException("the " + format + " header declares a size of " + width + "x" + height,
					null);
		}
		long pixels = (long) width * height;
		if (pixels > maxPixels) {
			throw new ImageTooLargeException("the " + format + " header declares " + width + "x" + height + " = "
					+ pixels + " pixels, above the decoding ceiling of " + maxPixels + " pixels");
		}
		return new ImageSize(width, height);
	}

	private static ImageFormat format(byte[] encoded) {
		return ImageFormat.sniff(encoded)
			.orElseThrow(() -> new UnsupportedImageFormatException("unsupported image format ("
					+ ImageFormat.describe(encoded) + "); accepted formats are PNG, JPEG and WebP"));
	}

	private static ImageReader reader(ImageFormat format) {
		Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
		if (!readers.hasNext()) {
			throw new UnsupportedImageFormatException("no " + format + " decoder on the classpath");
		}
		return readers.next();
	}

	/** Raster samples to RGB, compositing alpha onto white with Pillow's integer formula. */
	static RgbImage toRgb(BufferedImage image) {
		int w = image.getWidth();
		int h = image.getHeight();
		Raster raster = image.getRaster();
		ColorModel cm = image.getColorModel();
		byte[] out = new byte[Math.multiplyExact(w * 3, h)];
		if (cm instanceof IndexColorModel icm) {
			int n = icm.getMapSize();
			byte[][] palette = new byte[4][n];
			icm.getReds(palette[0]);
			icm.getGreens(palette[1]);
			icm.getBlues(palette[2]);
			icm.getAlphas(palette[3]);
			boolean alpha = icm.hasAlpha();
			int[] row = new int[w];
			for (int y = 0; y < h; y++) {
				raster.getSamples(0, y, w, 1, 0, row);
				for (int x = 0; x < w; x++) {
					int i = row[x];
					int a = alpha ? palette[3][i] & 0xFF : 255;
					put(out, (y * w + x) * 3, palette[0][i] & 0xFF, palette[1][i] & 0xFF, palette[2][i] & 0xFF, a);
				}
			}
			return RgbImage.of(out, w, h);
		}
		int colorType = cm.getColorSpace().getType();
		int colors = cm.getNumColorComponents();
		if (!(colorType == ColorSpace.TYPE_RGB && colors == 3) && !(colorType == ColorSpace.TYPE_GRAY && colors == 1)) {
			throw new UnsupportedImageFormatException("unsupported colour model with " + colors
					+ " colour components (colour space type " + colorType + "); RGB and grey images are accepted");
		}
		boolean alpha = cm.hasAlpha();
		int bands = raster.getNumBands();
		int bits = raster.getSampleModel().getSampleSize(0);
		if (bits == 8 && raster.getDataBuffer() instanceof DataBufferByte buffer
				&& raster.getSampleModel() instanceof ComponentSampleModel sm && raster.getParent() == null) {
			byte[] data = buffer.getData();
			int stride = sm.getPixelStride();
			int scan = sm.getScanlineStride();
			int[] offsets = sm.getBandOffsets();
			int start = buffer.getOffset();
			int rOff = offsets[0];
			int gOff = colors == 3 ? offsets[1] : offsets[0];
			int bOff = colors == 3 ? offsets[2] : offsets[0];
			int aOff = alpha ? offsets[colors] : -1;
			if (!alpha && colors == 3 && stride == 3 && rOff == 0 && gOff == 1 && bOff == 2 && scan == w * 3
					&& start == 0) {
				System.arraycopy(data, 0, out, 0, out.length);
				return RgbImage.of(out, w, h);
			}
			for (int y = 0; y < h; y++) {
				int p = start + y * scan;
				int o = y * w * 3;
				for (int x = 0; x < w; x++, p += stride, o += 3) {
					put(out, o, data[p + rOff] & 0xFF, data[p + gOff] & 0xFF, data[p + bOff] & 0xFF,
							alpha ? data[p + aOff] & 0xFF : 255);
				}
			}
			return RgbImage.of(out, w, h);
		}
		int[] samples = new int[w * bands];
		for (int y = 0; y < h; y++) {
			raster.getPixels(0, y, w, 1, samples);
			for (int x = 0; x < w; x++) {
				int s = x * bands;
				int r = to8(samples[s], bits);
				int g = colors == 3 ? to8(samples[s + 1], bits) : r;
				int b = colors == 3 ? to8(samples[s + 2], bits) : r;
				int a = alpha ? to8(samples[s + colors], raster.getSampleModel().getSampleSize(colors)) : 255;
				put(out, (y * w + x) * 3, r, g, b, a);
			}
		}
		return RgbImage.of(out, w, h);
	}

	/** 16-bit samples keep their high byte (Pillow's unpackers); 1-4-bit grey is scaled to the full range. */
	private static int to8(int sample, int bits) {
		if (bits == 8) {
			return sample;
		}
		if (bits > 8) {
			return sample >>> (bits - 8);
		}
		return sample * 255 / ((1 << bits) - 1);
	}

	private static void put(byte[] out, int o, int r, int g, int b, int a) {
		if (a == 255) {
			out[o] = (byte) r;
			out[o + 1] = (byte) g;
			out[o + 2] = (byte) b;
			return;
		}
		// Pillow's paste(rgba, mask=alpha) onto white: round(src * a / 255 + 255 * (1 - a / 255)) in integers.
		int white = 255 * (255 - a) + 127;
		out[o] = (byte) ((r * a + white) / 255);
		out[o + 1] = (byte) ((g * a + white) / 255);
		out[o + 2] = (byte) ((b * a + white) / 255);
	}

}
