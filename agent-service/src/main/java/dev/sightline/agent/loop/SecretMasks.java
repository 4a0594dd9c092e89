package dev.sightline.agent.loop;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import dev.sightline.tools.browser.BrowserExecutor;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.Screenshot;

/**
 * Masks fields that received a secret in every later screenshot, before it is stored or sent to the model. After a
 * secret is typed the focused element is marked; each screenshot paints the marked elements' boxes over. Browser
 * targets only: a desktop has no element boxes.
 */
final class SecretMasks {

	static final String MARK_FOCUSED = "(() => { const e = document.activeElement;"
			+ " if (e && e !== document.body) { e.setAttribute('data-sightline-secret', '1'); return true; }"
			+ " return false; })()";

	static final String MARKED_BOXES = "Array.from(document.querySelectorAll('[data-sightline-secret]'))"
			+ ".map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)"
			+ ".map(r => [r.left, r.top, r.width, r.height])";

	private SecretMasks() {
	}

	/** Marks the focused field of a browser page as holding a secret. */
	static void markFocused(Executor executor) {
		if (executor instanceof BrowserExecutor browser) {
			browser.evaluate(MARK_FOCUSED);
		}
	}

	/** The screenshot with every marked field painted over; the same screenshot when there is none. */
	static Screenshot apply(Executor executor, Screenshot shot) {
		if (!(executor instanceof BrowserExecutor browser)) {
			return shot;
		}
		List<double[]> boxes = boxes(browser.evaluate(MARKED_BOXES));
		if (boxes.isEmpty()) {
			return shot;
		}
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot.png()));
			Graphics2D g = image.createGraphics();
			g.setColor(Color.BLACK);
			double dpr = shot.devicePixelRatio();
			for (double[] box : boxes) {
				// Screenshots are in device pixels, boxes in CSS pixels; round outward so no edge pixel survives.
				int x = (int) Math.floor(box[0] * dpr);
				int y = (int) Math.floor(box[1] * dpr);
				int w = (int) Math.ceil((box[0] + box[2]) * dpr) - x;
				int h = (int) Math.ceil((box[1] + box[3]) * dpr) - y;
				g.fillRect(x, y, w, h);
			}
			g.dispose();
			ByteArrayOutputStream out = new ByteArrayOutputStream(shot.png().length);
			ImageIO.write(image, "png", out);
			return new Screenshot(out.toByteArray(), shot.widthPx(), shot.heightPx(), dpr, shot.capturedAt());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot mask the secret fields of a screenshot", e);
		}
	}

	private static List<double[]> boxes(Object evaluated) {
		List<double[]> boxes = new ArrayList<>();
		if (evaluated instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof List<?> box && box.size() == 4) {
					double[] values = new double[4];
					for (int i = 0; i < 4; i++) {
						values[i] = ((Number) box.get(i)).doubleValue();
					}
					boxes.add(values);
				}
			}
		}
		else if (evaluated instanceof Map<?, ?>) {
			throw new IllegalStateException("unexpected mask boxes " + evaluated);
		}
		return boxes;
	}

}
