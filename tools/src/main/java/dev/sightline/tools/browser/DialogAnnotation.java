package dev.sightline.tools.browser;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import dev.sightline.tools.execute.OpenDialog;
import dev.sightline.tools.execute.Screenshot;

/**
 * Draws an open JavaScript dialog onto a screenshot, as a browser would show it: Chromium renders native dialogs
 * outside the page, so its captures never contain them, and a model that does not see the dialog cannot answer it.
 * A centred box near the top, with the type, the message (wrapped, at most {@link #MAX_LINES} lines) and the way to
 * answer it.
 */
final class DialogAnnotation {

	static final int MAX_LINES = 6;

	private DialogAnnotation() {
	}

	static Screenshot draw(Screenshot shot, OpenDialog dialog) {
		BufferedImage image;
		try {
			image = ImageIO.read(new ByteArrayInputStream(shot.png()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot decode a screenshot to draw the open dialog on it", ex);
		}
		double scale = shot.devicePixelRatio();
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(16 * scale)));
		FontMetrics metrics = g.getFontMetrics();
		int width = (int) Math.min(image.getWidth() - 40 * scale, 520 * scale);
		int pad = (int) Math.round(16 * scale);
		List<String> lines = new ArrayList<>();
		lines.add("JavaScript " + dialog.type() + " dialog");
		lines.addAll(wrap(dialog.message(), metrics, width - 2 * pad));
		if (!dialog.defaultValue().isEmpty()) {
			lines.add("[ " + dialog.defaultValue() + " ]");
		}
		lines.add(dialog.type().equals("alert") ? "[ OK ]   answer with dialog: accept"
				: "[ OK ]  [ Cancel ]   answer with dialog: accept or dismiss");
		int lineHeight = metrics.getHeight();
		int height = lines.size() * lineHeight + 2 * pad;
		int x = (image.getWidth() - width) / 2;
		int y = (int) Math.round(24 * scale);
		g.setColor(Color.WHITE);
		g.fillRect(x, y, width, height);
		g.setColor(Color.DARK_GRAY);
		g.setStroke(new BasicStroke((float) (2 * scale)));
		g.drawRect(x, y, width, height);
		g.setColor(Color.BLACK);
		for (int i = 0; i < lines.size(); i++) {
			g.drawString(lines.get(i), x + pad, y + pad + metrics.getAscent() + i * lineHeight);
		}
		g.dispose();
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream(shot.png().length);
			ImageIO.write(image, "png", out);
			return Screenshot.ofPng(out.toByteArray(), shot.devicePixelRatio(), shot.capturedAt());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot encode a screenshot with the open dialog drawn on it", ex);
		}
	}

	/** A white viewport-sized screenshot, for a dialog open before the page was ever captured. */
	static Screenshot blank(BrowserTarget target) {
		int width = (int) Math.round(target.viewportWidth() * target.deviceScaleFactor());
		int height = (int) Math.round(target.viewportHeight() * target.deviceScaleFactor());
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.dispose();
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, "png", out);
			return Screenshot.ofPng(out.toByteArray(), target.deviceScaleFactor(), java.time.Instant.now());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot encode a blank screenshot", ex);
		}
	}

	/** Words wrapped to {@code widthPx}, at most {@link #MAX_LINES} lines, the last one ending in "..." when cut. */
	private static List<String> wrap(String text, FontMetrics metrics, int widthPx) {
		List<String> lines = new ArrayList<>();
		for (String paragraph : text.split("\\R", -1)) {
			StringBuilder line = new StringBuilder();
			for (String word : paragraph.split(" ")) {
				String candidate = line.isEmpty() ? word : line + " " + word;
				if (metrics.stringWidth(candidate) <= widthPx || line.isEmpty()) {
					line.setLength(0);
					line.append(candidate);
				}
				else {
					lines.add(line.toString());
					line.setLength(0);
					line.append(word);
				}
			}
			lines.add(line.toString());
		}
		if (lines.size() > MAX_LINES) {
			List<String> cut = new ArrayList<>(lines.subList(0, MAX_LINES));
			cut.set(MAX_LINES - 1, cut.get(MAX_LINES - 1) + " ...");
			return cut;
		}
		return lines;
	}

}
