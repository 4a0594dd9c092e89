package dev.sightline.tools.eval;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.execute.PngSize;

/**
 * Renders pages in headless Chromium at every viewport × device pixel ratio and writes a ScreenSpot-Pro style set:
 * {@code images/<page>_<viewport>@<dpr>x.png} and {@code annotations/sightline_web.json}, whose boxes are
 * {@code getBoundingClientRect() × DPR} in screenshot pixels, {@code [x1, y1, x2, y2]}. A target is kept only when it
 * lies wholly inside the viewport and is the topmost element at its centre, so a box is always something a person
 * could see and click.
 */
public final class GroundingSetGenerator {

	public static final String ANNOTATION_FILE = "sightline_web.json";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private static final String COLLECT_TARGETS = """
			() => Array.from(document.querySelectorAll('[data-sl-target]')).map(el => {
			  const r = el.getBoundingClientRect();
			  const inside = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0
			      && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
			  const hit = inside ? document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) : null;
			  return { instruction: el.getAttribute('data-sl-target'), type: el.getAttribute('data-sl-type') || 'text',
			      left: r.left, top: r.top, right: r.right, bottom: r.bottom,
			      visible: hit !== null && (hit === el || el.contains(hit)) };
			})
			""";

	private final BrowserSettings browserSettings;

	public GroundingSetGenerator() {
		this(BrowserSettings.defaults());
	}

	public GroundingSetGenerator(BrowserSettings browserSettings) {
		this.browserSettings = browserSettings;
	}

	public GeneratedSet generate(GeneratorPages pages, List<Viewport> viewports, List<Double> dprs, Path outDir)
			throws IOException {
		if (viewports.isEmpty() || dprs.isEmpty()) {
			throw new IllegalArgumentException("at least one viewport and one device pixel ratio are needed");
		}
		for (double dpr : dprs) {
			if (!(dpr >= 0.5 && dpr <= 4)) {
				throw new IllegalArgumentException("device pixel ratio must be within [0.5, 4], got " + dpr);
			}
		}
		Path images = Files.createDirectories(outDir.resolve("images"));
		Path annotations = Files.createDirectories(outDir.resolve("annotations")).resolve(ANNOTATION_FILE);
		List<Map<String, Object>> items = new ArrayList<>();
		int screenshots = 0;
		try (Playwright playwright = BrowserLauncher.playwright();
				Browser browser = BrowserLauncher.launch(playwright, browserSettings)) {
			for (Map.Entry<String, String> page : pages.htmlByName().entrySet()) {
				for (Viewport viewport : viewports) {
					for (double dpr : dprs) {
						items.addAll(render(browser, page.getKey(), page.getValue(), viewport, dpr, images));
						screenshots++;
					}
				}
			}
		}
		JSON.writeValue(annotations.toFile(), items);
		return new GeneratedSet(annotations, items.size(), screenshots);
	}

	private static List<Map<String, Object>> render(Browser browser, String pageName, String html, Viewport viewport,
			double dpr, Path images) throws IOException {
		String setting = viewport + "@" + number(dpr) + "x";
		String imageName = pageName + "_" + setting + ".png";
		try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
			.setViewportSize(viewport.widthPx(), viewport.heightPx())
			.setDeviceScaleFactor(dpr))) {
			Page page = context.newPage();
			page.setContent(html);
			// Text must be laid out in its final font before boxes are read.
			page.evaluate("() => document.fonts.ready.then(() => true)");
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> targets = (List<Map<String, Object>>) page.evaluate(COLLECT_TARGETS);
			byte[] png = page.screenshot(new Page.ScreenshotOptions());
			Files.write(images.resolve(imageName), png);
			int widthPx = PngSize.width(png);
			int heightPx = PngSize.height(png);
			List<Map<String, Object>> items = new ArrayList<>();
			for (Map<String, Object> target : targets) {
				if (!Boolean.TRUE.equals(target.get("visible"))) {
					continue;
				}
				Map<String, Object> item = new LinkedHashMap<>();
				item.put("id", pageName + "_" + setting + "_" + items.size());
				item.put("img_filename", imageName);
				item.put("instruction", target.get("instruction"));
				item.put("bbox", List.of(scaled(target.get("left"), dpr), scaled(target.get("top"), dpr),
						scaled(target.get("right"), dpr), scaled(target.get("bottom"), dpr)));
				item.put("img_size", List.of(widthPx, heightPx));
				item.put("ui_type", target.get("type"));
				item.put("platform", "web");
				item.put("application", pageName);
				item.put("setting", setting);
				item.put("viewport", List.of(viewport.widthPx(), viewport.heightPx()));
				item.put("dpr", dpr);
				items.add(item);
			}
			return items;
		}
	}

	/** CSS px × DPR = screenshot px, to 1/100 px (getBoundingClientRect is fractional). */
	private static double scaled(Object cssPx, double dpr) {
		return Math.round(((Number) cssPx).doubleValue() * dpr * 100) / 100.0;
	}

	private static String number(double value) {
		return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

}
