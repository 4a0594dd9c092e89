package dev.sightline.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code misses.html}: every run that was not a hit, its screenshot with the annotated box (green) and the predicted
 * point (red, mapped back to original pixels), the instruction and the model's raw answer. Images are referenced by a
 * path relative to the page, so the page works when opened from disk and stays small.
 */
public final class MissesPage {

	public static final String FILE = "misses.html";

	/** Beyond this many misses the page lists the rest as text only, so it still opens in a browser. */
	static final int MAX_DRAWN = 500;

	private MissesPage() {
	}

	public static void write(Path file, List<ItemResult> results) throws IOException {
		List<ItemResult> misses = results.stream().filter(r -> !r.hit()).toList();
		StringBuilder html = new StringBuilder(4096);
		html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Grounding misses</title>\n")
			.append("<style>body{font:14px sans-serif;margin:16px}figure{display:inline-block;margin:8px;")
			.append("vertical-align:top;max-width:640px}svg{width:640px;height:auto;border:1px solid #ccc}")
			.append("figcaption{word-break:break-word}code{font-size:12px;color:#555}</style></head><body>\n")
			.append(String.format(Locale.ROOT, "<h1>%d misses of %d runs</h1>%n", misses.size(), results.size()));
		Path folder = file.toAbsolutePath().getParent();
		int drawn = 0;
		for (ItemResult miss : misses) {
			if (drawn++ < MAX_DRAWN) {
				figure(html, miss, folder);
			}
			else {
				html.append("<p>").append(escape(miss.key())).append(": ").append(miss.outcome()).append("</p>\n");
			}
		}
		html.append("</body></html>\n");
		Files.writeString(file, html, StandardCharsets.UTF_8);
	}

	private static void figure(StringBuilder html, ItemResult r, Path folder) {
		String href = folder.relativize(Path.of(r.image()).toAbsolutePath()).toString().replace('\\', '/');
		int w = r.imageWidthPx();
		int h = r.imageHeightPx();
		double stroke = Math.max(2, w / 320.0);
		html.append("<figure id=\"").append(escape(r.key())).append("\">")
			.append(String.format(Locale.ROOT, "<svg viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">", w, h))
			.append(String.format(Locale.ROOT, "<image href=\"%s\" width=\"%d\" height=\"%d\"/>", escape(href), w, h))
			.append(String.format(Locale.ROOT,
					"<rect class=\"target\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
							+ "stroke=\"#0a0\" stroke-width=\"%.1f\"/>",
					r.boxLeftPx(), r.boxTopPx(), r.boxRightPx() - r.boxLeftPx(), r.boxBottomPx() - r.boxTopPx(),
					stroke));
		if (r.predictedXPx() != null && r.predictedYPx() != null) {
			html.append(String.format(Locale.ROOT,
					"<circle class=\"predicted\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"#e00\" "
							+ "stroke-width=\"%.1f\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#e00\"/>",
					r.predictedXPx(), r.predictedYPx(), stroke * 5, stroke, r.predictedXPx(), r.predictedYPx(),
					stroke));
		}
		html.append("</svg><figcaption><b>")
			.append(escape(r.instruction()))
			.append("</b><br>")
			.append(escape(r.id()))
			.append(" · ")
			.append(escape(r.setting()))
			.append(" · max_pixels ")
			.append(r.maxPixels())
			.append(" · ")
			.append(r.outcome())
			.append(String.format(Locale.ROOT, " · %.0f ms", r.latencyMs()))
			.append("<br><code>")
			.append(escape(abbreviate(r.rawOutput())))
			.append("</code>");
		if (r.error() != null) {
			html.append("<br><code>").append(escape(abbreviate(r.error()))).append("</code>");
		}
		html.append("</figcaption></figure>\n");
	}

	private static String abbreviate(String text) {
		return text.length() <= 400 ? text : text.substring(0, 400) + "…";
	}

	static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '&' -> out.append("&amp;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

}
