package dev.sightline.tools.model;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PilBicubic;
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
		return encodePng(resized);
	}

	public static byte[] encodePng(RgbImage image) {
		BufferedImage buffered = new BufferedImage(image.widthPx(), image.heightPx(), BufferedImage.TYPE_3BYTE_BGR);
		byte[] bgr = ((DataBufferByte) buffered.getRaster().getDataBuffer()).getData();
		byte[] rgb = image.rgb();
		for (int i = 0; i < rgb.length; i += 3) {
			bgr[i] = rgb[i + 2];
			bgr[i + 1] = rgb[i + 1];
			bgr[i + 2] = rgb[i];
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream(rgb.length / 4);
		try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
			writer.setOutput(stream);
			ImageWriteParam param = writer.getDefaultWriteParam();
			// Fast deflate: screenshots compress well anyway, and the loop's budget is milliseconds.
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(0.9f);
			writer.write(null, new IIOImage(buffered, null, null), param);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot encode the resized screenshot as PNG", e);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

}
