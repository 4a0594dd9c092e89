package dev.sightline.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ScreenshotType;
import com.sun.net.httpserver.HttpServer;

import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.browser.BrowserExecutor;
import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserPool;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.browser.BrowserTarget;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.desktop.DesktopExecutor;
import dev.sightline.tools.desktop.DesktopSession;
import dev.sightline.vision.bench.BenchReport;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.net.NavigationPolicy;

/**
 * {@code ./sightline bench executor [--json]}: screenshot latency of a 1280x720 page and the round trip of a click,
 * in the browser (executor vs. bare Playwright on the same Chromium, whose difference is Sightline's overhead) and on
 * an Xvfb desktop. Medians and p95 after a JIT and browser warm-up.
 */
public final class ExecutorBench {

	private static final int WARMUPS = 10;

	private static final int REPEATS = 40;

	private static final String PAGE = "<!doctype html><html><body style='margin:0;font:16px sans-serif'>"
			+ "<button id='b' style='position:absolute;left:600px;top:340px;width:80px;height:40px'"
			+ " onclick='this.textContent=++window.n'>0</button>"
			+ "<div style='padding:20px'>" + "Sightline executor benchmark. ".repeat(200) + "</div>"
			+ "<script>window.n=0</script></body></html>";

	private ExecutorBench() {
	}

	public static void main(String[] args) throws Exception {
		boolean json = Arrays.asList(args).contains("--json");
		BenchReport report = new BenchReport("executor");
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
		server.createContext("/", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
			browser(report, url);
			rawPlaywright(report, url);
			desktop(report);
		}
		finally {
			server.stop(0);
		}
		report.print(System.out, json);
	}

	private static void browser(BenchReport report, String url) throws IOException {
		Path downloads = Files.createTempDirectory("sightline-bench");
		NavigationPolicy policy = NavigationPolicy.defaults().withPrivateAddressesAllowed(true);
		try (BrowserPool pool = new BrowserPool(BrowserSettings.defaults());
				BrowserExecutor browser = pool.open(new BrowserTarget(url, 1280, 720, 1, policy, downloads))) {
			add(report, "browser 1280x720", "screenshot", BenchReport.timeMs(WARMUPS, REPEATS, browser::screenshot));
			CoordinateMapping mapping = browser.screenshot().mapping(PixelBudget.PUBLISHED);
			LeftClick click = new LeftClick(mapping.toModel(new ScreenPoint(640, 360)));
			add(report, "browser 1280x720", "left_click", BenchReport.timeMs(WARMUPS, REPEATS,
					() -> browser.execute(click, mapping)));
		}
	}

	/** The same work through bare Playwright: what the browser itself needs. */
	private static void rawPlaywright(BenchReport report, String url) {
		try (Playwright playwright = BrowserLauncher.playwright()) {
			Browser browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
			Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 720)).newPage();
			page.navigate(url);
			add(report, "bare playwright 1280x720", "screenshot", BenchReport.timeMs(WARMUPS, REPEATS,
					() -> page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG))));
			add(report, "bare playwright 1280x720", "left_click", BenchReport.timeMs(WARMUPS, REPEATS, () -> {
				page.mouse().move(640, 360);
				page.mouse().click(640, 360);
			}));
			browser.close();
		}
	}

	private static void desktop(BenchReport report) {
		try (DesktopSession session = DesktopSession.startXvfb(1280, 720);
				DesktopExecutor desktop = session.open()) {
			// The fallback (ffmpeg and xdotool processes) is an order of magnitude slower: say which one was measured.
			String name = desktop.direct() ? "desktop xvfb 1280x720" : "desktop xvfb 1280x720 ffmpeg/xdotool";
			add(report, name, "screenshot", BenchReport.timeMs(WARMUPS / 2, REPEATS / 2, desktop::screenshot));
			CoordinateMapping mapping = desktop.screenshot().mapping(PixelBudget.PUBLISHED);
			LeftClick click = new LeftClick(mapping.toModel(new ScreenPoint(640, 360)));
			add(report, name, "left_click",
					BenchReport.timeMs(WARMUPS / 2, REPEATS / 2, () -> desktop.execute(click, mapping)));
		}
	}

	private static void add(BenchReport report, String caseName, String what, double[] ms) {
		report.add(caseName, what + " p50", BenchReport.median(ms), "ms");
		report.add(caseName, what + " p95", BenchReport.percentile(ms, 95), "ms");
	}


}
