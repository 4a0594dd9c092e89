package dev.sightline.tools.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.OutOfScreenException;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.net.NavigationPolicy;

/** Real Chromium through Playwright against fixture pages on 127.0.0.1. */
class BrowserExecutorIT {

	/** The README's speed/memory trade-off: resizing really happens, so mapping is exercised. */
	private static final PixelBudget BUDGET = new PixelBudget(3136, 1280 * 28 * 28);

	private static FixtureServer server;

	private static BrowserPool pool;

	@TempDir
	Path downloads;

	@BeforeAll
	static void start() throws Exception {
		server = new FixtureServer();
		// The grace window decides which action a browser event (popup, download) is reported with; on a loaded CI
		// machine those events can take longer than the 15 ms default, so the tests give them room.
		pool = new BrowserPool(BrowserSettings.defaults().withSettleGraceMs(300));
	}

	@AfterAll
	static void stop() {
		pool.close();
		server.close();
	}

	private BrowserExecutor open(String page, double dpr) {
		NavigationPolicy policy = NavigationPolicy.defaults().withPrivateAddressesAllowed(true);
		return pool.open(new BrowserTarget(server.url(page), 1280, 720, dpr, policy, downloads));
	}

	/** The model point a perfect model would answer for an element centred at this CSS point. */
	private static ModelPoint modelPointOf(CoordinateMapping mapping, double cssX, double cssY) {
		return mapping.toModel(new ScreenPoint(cssX, cssY));
	}

	@Test
	void clicksAButtonByCoordinatesAndThePageChanges() {
		try (BrowserExecutor browser = open("button.html", 1)) {
			Screenshot shot = browser.screenshot();
			assertThat(shot.widthPx()).isEqualTo(1280);
			assertThat(shot.heightPx()).isEqualTo(720);
			CoordinateMapping mapping = shot.mapping(BUDGET);
			ActionOutcome outcome = browser.execute(new LeftClick(modelPointOf(mapping, 200, 130)), mapping);
			assertThat(browser.evaluate("document.getElementById('status').textContent")).isEqualTo("clicked 1 0");
			assertThat(outcome.screenPoint().xPx()).isCloseTo(200, org.assertj.core.data.Offset.offset(1.0));
			assertThat(outcome.performed()).startsWith("left click at");
		}
	}

	@Test
	void devicePixelRatioTwoLandsOnTheSameElement() {
		try (BrowserExecutor browser = open("button.html", 2)) {
			Screenshot shot = browser.screenshot();
			assertThat(shot.widthPx()).isEqualTo(2560);
			assertThat(shot.devicePixelRatio()).isEqualTo(2);
			CoordinateMapping mapping = shot.mapping(BUDGET);
			// The model sees device pixels: the button's centre is at (400, 260) in the screenshot.
			ModelPoint point = new ModelPoint(
					(int) Math.round(400.0 * mapping.model().widthPx() / shot.widthPx()),
					(int) Math.round(260.0 * mapping.model().heightPx() / shot.heightPx()));
			browser.execute(new LeftClick(point), mapping);
			assertThat(browser.evaluate("document.getElementById('status').textContent")).isEqualTo("clicked 1 0");
		}
	}

	@Test
	void rightAndDoubleClicksReachThePage() {
		try (BrowserExecutor browser = open("button.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new RightClick(modelPointOf(mapping, 650, 450)), mapping);
			assertThat(browser.evaluate("document.getElementById('other').textContent")).isEqualTo("context menu");
			browser.execute(new DoubleClick(modelPointOf(mapping, 650, 450)), mapping);
			assertThat(browser.evaluate("document.getElementById('other').textContent")).isEqualTo("double");
		}
	}

	@Test
	void typesIntoAnInputAndPressesKeyCombos() {
		try (BrowserExecutor browser = open("input.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new LeftClick(modelPointOf(mapping, 200, 65)), mapping);
			browser.execute(new TypeText("hello world"), mapping);
			assertThat(browser.evaluate("document.getElementById('name').value")).isEqualTo("hello world");
			browser.execute(Key.of("ctrl", "a"), mapping);
			browser.execute(new TypeText("bye"), mapping);
			assertThat(browser.evaluate("document.getElementById('name').value")).isEqualTo("bye");
			browser.execute(Key.of("ctrl+shift+k"), mapping);
			assertThat((String) browser.evaluate("document.getElementById('keys').textContent"))
				.contains("Control+a;")
				.contains("Control+Shift+K;");
		}
	}

	@Test
	void dragsASlider() {
		try (BrowserExecutor browser = open("slider.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new LeftClickDrag(modelPointOf(mapping, 108, 110), modelPointOf(mapping, 400, 110)),
					mapping);
			int value = Integer.parseInt((String) browser.evaluate("document.getElementById('range').value"));
			assertThat(value).isBetween(65, 80);
		}
	}

	@Test
	void scrollsALongPageDownAndUp() {
		try (BrowserExecutor browser = open("long.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new Scroll(-500, modelPointOf(mapping, 640, 360)), mapping);
			assertThat(((Number) browser.evaluate("window.scrollY")).intValue()).isEqualTo(500);
			browser.execute(new Scroll(200, null), mapping);
			assertThat(((Number) browser.evaluate("window.scrollY")).intValue()).isEqualTo(300);
		}
	}

	@Test
	void followsLinksPopupsDialogsAndKeepsDownloads() throws Exception {
		try (BrowserExecutor browser = open("links.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			ActionOutcome confirm = browser.execute(new LeftClick(modelPointOf(mapping, 150, 370)), mapping);
			assertThat(confirm.openDialog()).satisfies(dialog -> {
				assertThat(dialog.type()).isEqualTo("confirm");
				assertThat(dialog.message()).isEqualTo("Sure?");
			});
			ActionOutcome answered = browser.execute(new AnswerDialog(true, null), mapping);
			assertThat(answered.dialogs()).singleElement().satisfies(dialog -> assertThat(dialog.accepted()).isTrue());
			assertThat(browser.evaluate("document.getElementById('alert').textContent")).isEqualTo("confirmed");

			ActionOutcome click = browser.execute(new LeftClick(modelPointOf(mapping, 150, 270)), mapping);
			// The download event may come after the click's settle window: then the next action reports it.
			List<Download> downloaded = new ArrayList<>(click.downloads());
			for (int i = 0; i < 20 && downloaded.isEmpty(); i++) {
				downloaded.addAll(browser.execute(new Wait(100), mapping).downloads());
			}
			assertThat(downloaded).singleElement().satisfies(file -> {
				assertThat(file.suggestedFilename()).isEqualTo("report.txt");
				assertThat(file.failure()).isNull();
				assertThat(file.path()).isNotNull();
				assertThat(file.contentType()).isEqualTo("text/plain");
				assertThat(file.sizeBytes()).isEqualTo(18);
			});
			assertThat(Files.readString(downloaded.get(0).path())).isEqualTo("quarterly numbers\n");

			ActionOutcome popup = browser.execute(new LeftClick(modelPointOf(mapping, 150, 170)), mapping);
			assertThat(popup.navigated()).isTrue();
			assertThat(popup.urlAfter()).endsWith("/input.html");

			ActionOutcome next = browser.execute(new Navigate(server.url("links.html")), mapping);
			browser.execute(new LeftClick(modelPointOf(mapping, 150, 70)), mapping);
			assertThat(browser.currentUrl()).endsWith("/button.html");
			assertThat(next.urlAfter()).endsWith("/links.html");
		}
	}

	@Test
	void aNavigationTheClickStartsWithinTheGraceIsWaitedFor() {
		try (BrowserExecutor browser = open("delayed.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			// The pool's grace is 300 ms, counted from the click's dispatch; the page navigates 100 ms after the click.
			ActionOutcome outcome = browser.execute(new LeftClick(modelPointOf(mapping, 200, 150)), mapping);
			assertThat(outcome.navigated()).isTrue();
			assertThat(outcome.urlAfter()).endsWith("/button.html");
		}
	}

	@Test
	void rejectsOffScreenPointsBeforeActing() {
		try (BrowserExecutor browser = open("button.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			assertThatThrownBy(() -> browser.execute(new LeftClick(new ModelPoint(5000, 10)), mapping))
				.isInstanceOf(OutOfScreenException.class);
			assertThat(browser.evaluate("document.getElementById('status').textContent")).isEqualTo("idle");
		}
	}

	@Test
	void blocksARequestToADeniedHostMadeByPageScript() throws Exception {
		try (FixtureServer secret = new FixtureServer()) {
			NavigationPolicy policy = NavigationPolicy.defaults()
				.withPrivateAddressesAllowed(true)
				.withAllowHosts("127.0.0.1:" + server.port());
			String page = server.url("policy.html?target=" + secret.url("data.txt"));
			try (BrowserExecutor browser = pool
				.open(new BrowserTarget(page, 1280, 720, 1, policy, downloads))) {
				long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while ("pending".equals(browser.evaluate("document.getElementById('result').textContent"))
						&& System.nanoTime() < deadline) {
					Thread.sleep(20);
				}
				assertThat(browser.evaluate("document.getElementById('result').textContent")).isEqualTo("blocked");
				assertThat(browser.blockedRequests()).anySatisfy(blocked -> {
					assertThat(blocked.url()).isEqualTo(secret.url("data.txt"));
					assertThat(blocked.reason()).contains("not on the allow list");
				});
			}
			assertThat(secret.requests()).isZero();
		}
	}

	@Test
	void deniesLoopbackByDefaultAndDangerousSchemesAlways() {
		assertThatThrownBy(() -> pool.open(BrowserTarget.of(server.url("button.html"), downloads)))
			.isInstanceOf(NavigationDeniedException.class)
			.hasMessageContaining("loopback");
		try (BrowserExecutor browser = open("button.html", 1)) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			for (String url : new String[] { "file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi",
					"chrome://settings" }) {
				assertThatThrownBy(() -> browser.execute(new Navigate(url), mapping))
					.isInstanceOf(NavigationDeniedException.class)
					.hasMessageContaining("scheme");
			}
			assertThat(browser.currentUrl()).endsWith("/button.html");
		}
	}

}
