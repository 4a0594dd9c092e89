package dev.sightline.tools.execute;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.ImageIO;

/** Paints regions of a screenshot black, so what they showed (a typed secret) is neither stored nor sent. */
public final class ScreenshotMask {

	/**
	 * A region in screen pixels (CSS px in a browser), at the top-left corner {@code (xPx, yPx)}.
	 */
	public record Box(double xPx, double yPx, double widthPx, double heightPx) {
	}

	private ScreenshotMask() {
	}

	/** {@code shot} with every box painted over; the same screenshot when there is none. */
	public static Screenshot paint(Screenshot shot, List<Box> boxes) {
		if (boxes.isEmpty()) {
			return shot;
		}
		BufferedImage image = decode(shot);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.BLACK);
		double dpr = shot.devicePixelRatio();
		for (Box box : boxes) {
			// Screenshots are in device pixels, boxes in screen pixels; round outward so no edge pixel survives.
			int x = (int) Math.floor(box.xPx() * dpr);
			int y = (int) Math.floor(box.yPx() * dpr);
			int w = (int) Math.ceil((box.xPx() + box.widthPx()) * dpr) - x;
			int h = (int) Math.ceil((box.yPx() + box.heightPx()) * dpr) - y;
			g.fillRect(x, y, w, h);
		}
		g.dispose();
		return encode(shot, image);
	}

	/** {@code shot} painted black entirely: where the region that may show a secret cannot be located. */
	public static Screenshot whole(Screenshot shot) {
		BufferedImage image = new BufferedImage(shot.widthPx(), shot.heightPx(), BufferedImage.TYPE_INT_RGB);
		return encode(shot, image);
	}

	private static BufferedImage decode(Screenshot shot) {
		try {
			return ImageIO.read(new ByteArrayInputStream(shot.png()));
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot decode a screenshot to mask its secret fields", e);
		}
	}

	private static Screenshot encode(Screenshot shot, BufferedImage image) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream(shot.png().length);
			ImageIO.write(image, "png", out);
			return new Screenshot(out.toByteArray(), shot.widthPx(), shot.heightPx(), shot.devicePixelRatio(),
					shot.capturedAt());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot encode a masked screenshot", e);
		}
	}

}
