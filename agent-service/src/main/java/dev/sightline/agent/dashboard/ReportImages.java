package dev.sightline.agent.dashboard;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.jspecify.annotations.Nullable;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.InvalidImageException;

/**
 * Screenshots as the HTML report embeds them: downscaled to at most {@link #MAX_WIDTH_PX} wide, the step's marker
 * drawn in, encoded as JPEG. This keeps a 200-step report far below 30 MB (about 40-90 KB a step).
 */
final class ReportImages {

	static final int MAX_WIDTH_PX = 800;

	static final float JPEG_QUALITY = 0.7f;

	/**
	 * Largest screenshot decoded for a report: an 8K desktop (browser screenshots are capped lower at submit). The
	 * size is read from the header first, so a stored image declaring more (a decompression bomb) is never decoded.
	 */
	static final long MAX_SOURCE_PIXELS = 7680L * 4320;

	private static final ImageDecoder HEADER_PROBE = new ImageDecoder(MAX_SOURCE_PIXELS);

	/** The dashboard's marker colour (also in dashboard.js). */
	static final Color MARKER = new Color(255, 0, 200);

	private ReportImages() {
	}

	/**
	 * The screenshot as a JPEG {@code data:} URL with the marker drawn, or null when the PNG cannot be read or declares
	 * more than {@link #MAX_SOURCE_PIXELS}.
	 */
	static @Nullable String dataUrl(byte[] png, @Nullable StepMarker marker) {
		byte[] jpeg = jpeg(png, marker);
		return jpeg == null ? null : "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
	}

	static byte @Nullable [] jpeg(byte[] png, @Nullable StepMarker marker) {
		BufferedImage source;
		try {
			HEADER_PROBE.probe(png);
			source = ImageIO.read(new ByteArrayInputStream(png));
		}
		catch (IOException | InvalidImageException e) {
			return null;
		}
		if (source == null) {
			return null;
		}
		double factor = Math.min(1.0, (double) MAX_WIDTH_PX / source.getWidth());
		int width = Math.max(1, (int) Math.round(source.getWidth() * factor));
		int height = Math.max(1, (int) Math.round(source.getHeight() * factor));
		BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = scaled.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.drawImage(source, 0, 0, width, height, null);
			if (marker != null) {
				draw(g, marker.scaled(factor));
			}
		}
		finally {
			g.dispose();
		}
		return encode(scaled);
	}

	/** A filled dot on the point in a white-haloed ring, visible on light and dark pages alike. */
	static void draw(Graphics2D g, StepMarker marker) {
		double x = marker.xPx();
		double y = marker.yPx();
		g.setStroke(new BasicStroke(6f));
		g.setColor(Color.WHITE);
		g.draw(new Ellipse2D.Double(x - 14, y - 14, 28, 28));
		g.setStroke(new BasicStroke(3f));
		g.setColor(MARKER);
		g.draw(new Ellipse2D.Double(x - 14, y - 14, 28, 28));
		g.fill(new Ellipse2D.Double(x - 5, y - 5, 10, 10));
	}

	private static byte[] encode(BufferedImage image) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
			writer.setOutput(stream);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(JPEG_QUALITY);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot encode a report screenshot as JPEG", e);
		}
		finally {
			writer.dispose();
		}
		return out.toByteArray();
	}

}
