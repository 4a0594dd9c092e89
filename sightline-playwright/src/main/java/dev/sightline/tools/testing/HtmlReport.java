package dev.sightline.tools.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ScreenPoint;

/**
 * One self-contained HTML file per test: each step with its timing, cache hit, model calls and outcome, and its
 * screenshot with the tapped point and located box drawn over it (positioned in percent of the viewport, so the
 * markers fit whatever the device pixel ratio).
 */
public final class HtmlReport {

	private HtmlReport() {
	}

	public static Path write(Path file, String testName, List<Step> steps, @Nullable Throwable failure) {
		StringBuilder html = new StringBuilder(4096);
		long totalMs = steps.stream().mapToLong(Step::durationMs).sum();
		long hits = steps.stream().filter(Step::cacheHit).count();
		int calls = steps.stream().mapToInt(Step::modelCalls).sum();
		html.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>")
			.append(escape(testName))
			.append("</title>\n<style>body{font:14px sans-serif;margin:24px}h1{font-size:20px}"
					+ ".step{border:1px solid #ccc;border-radius:6px;margin:12px 0;padding:12px}"
					+ ".failed{border-color:#c00;background:#fff5f5}.meta{color:#555}"
					+ ".shot{position:relative;display:inline-block;max-width:960px;margin-top:8px}"
					+ ".shot img{width:100%;display:block;border:1px solid #ddd}"
					+ ".point{position:absolute;width:14px;height:14px;margin:-7px 0 0 -7px;border-radius:50%;"
					+ "background:rgba(255,0,0,.7);border:2px solid #fff}"
					+ ".box{position:absolute;border:2px solid rgba(255,0,0,.8)}pre{white-space:pre-wrap}</style>"
					+ "</head><body>\n<h1>")
			.append(escape(testName))
			.append(failure == null ? " — passed" : " — failed")
			.append("</h1>\n<p class=\"meta\">")
			.append(steps.size())
			.append(" steps, ")
			.append(totalMs)
			.append(" ms, ")
			.append(calls)
			.append(" model calls, ")
			.append(hits)
			.append(" cache hits</p>\n");
		if (failure != null) {
			html.append("<pre class=\"step failed\">").append(escape(String.valueOf(failure))).append("</pre>\n");
		}
		int index = 1;
		for (Step step : steps) {
			html.append("<div class=\"step").append(step.passed() ? "" : " failed").append("\"><b>").append(index++)
				.append(". ").append(escape(step.kind())).append("</b> ").append(escape(step.instruction()))
				.append("<div class=\"meta\">").append(step.durationMs()).append(" ms · ")
				.append(step.cacheHit() ? "cache hit" : step.modelCalls() + " model call(s)")
				.append(step.passed() ? "" : " · failed").append("</div><pre>").append(escape(step.detail()))
				.append("</pre>");
			byte[] png = step.screenshotPng();
			if (png != null) {
				html.append("<div class=\"shot\"><img alt=\"screenshot\" src=\"data:image/png;base64,")
					.append(Base64.getEncoder().encodeToString(png)).append("\">");
				if (step.viewportWidthPx() > 0 && step.viewportHeightPx() > 0) {
					CssBox box = step.box();
					if (box != null) {
						html.append("<div class=\"box\" style=\"left:").append(percent(box.xPx(), step.viewportWidthPx()))
							.append("top:").append(percent(box.yPx(), step.viewportHeightPx())).append("width:")
							.append(percent(box.widthPx(), step.viewportWidthPx())).append("height:")
							.append(percent(box.heightPx(), step.viewportHeightPx())).append("\"></div>");
					}
					ScreenPoint point = step.point();
					if (point != null) {
						html.append("<div class=\"point\" style=\"left:")
							.append(percent(point.xPx(), step.viewportWidthPx())).append("top:")
							.append(percent(point.yPx(), step.viewportHeightPx())).append("\"></div>");
					}
				}
				html.append("</div>");
			}
			html.append("</div>\n");
		}
		html.append("</body></html>\n");
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, html, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the Sightline report " + file, e);
		}
		return file;
	}

	private static String percent(double px, int totalPx) {
		return String.format(Locale.ROOT, "%.3f%%;", 100.0 * px / totalPx);
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
