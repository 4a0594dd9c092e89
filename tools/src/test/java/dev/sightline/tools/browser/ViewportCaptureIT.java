package dev.sightline.tools.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ScreenshotType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fast DevTools capture against Playwright's own screenshot of the same static page, in real Chromium. */
class ViewportCaptureIT {

	private static FixtureServer server;

	private static Playwright playwright;

	private static Browser browser;

	@BeforeAll
	static void start() throws Exception {
		server = new FixtureServer();
		playwright = BrowserLauncher.playwright();
		browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
	}

	@AfterAll
	static void stop() {
		playwright.close();
		server.close();
	}

	@ParameterizedTest(name = "{0} at DPR {1}, scrolled {2} px")
	@CsvSource({ "button.html, 1, 0", "long.html, 1, 1234", "long.html, 2, 650", "input.html, 1.25, 0" })
	void capturesTheSamePixelsAsPlaywrightsScreenshot(String pageName, double dpr, int scrollYPx) throws IOException {
		try (BrowserContext context = browser
			.newContext(new Browser.NewContextOptions().setViewportSize(800, 600).setDeviceScaleFactor(dpr))) {
			Page page = context.newPage();
			page.navigate(server.url(pageName));
			page.evaluate("y => window.scrollTo(0, y)", scrollYPx);
			ViewportCapture capture = new ViewportCapture(800, 600, dpr);

			BufferedImage fast = decode(capture.png(page));
			BufferedImage reference = decode(page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG)));

			assertThat(fast.getWidth()).isEqualTo(reference.getWidth()).isEqualTo((int) Math.round(800 * dpr));
			assertThat(fast.getHeight()).isEqualTo(reference.getHeight()).isEqualTo((int) Math.round(600 * dpr));
			assertThat(differingPixels(fast, reference)).isZero();
		}
	}

	@ParameterizedTest(name = "scrolled {0} px")
	@CsvSource({ "0", "2000" })
	void capturesWhatIsScrolledIntoView(int scrollYPx) throws IOException {
		try (BrowserContext context = browser
			.newContext(new Browser.NewContextOptions().setViewportSize(800, 600))) {
			Page page = context.newPage();
			page.navigate(server.url("long.html"));
			ViewportCapture capture = new ViewportCapture(800, 600, 1);
			BufferedImage top = decode(capture.png(page));
			page.evaluate("y => window.scrollTo(0, y)", 2000 + scrollYPx);
			BufferedImage scrolled = decode(capture.png(page));
			// Rows are 100 px tall with different labels: a capture that ignored the scroll offset would repeat the top.
			assertThat(differingPixels(top, scrolled)).isPositive();
		}
	}

	private static BufferedImage decode(byte[] png) throws IOException {
		assertThat(png).startsWith(0x89, 'P', 'N', 'G');
		return ImageIO.read(new ByteArrayInputStream(png));
	}

	private static long differingPixels(BufferedImage a, BufferedImage b) {
		long differing = 0;
		for (int y = 0; y < a.getHeight(); y++) {
			for (int x = 0; x < a.getWidth(); x++) {
				if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
					differing++;
				}
			}
		}
		return differing;
	}

}
