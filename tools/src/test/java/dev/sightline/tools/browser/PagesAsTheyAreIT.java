package dev.sightline.tools.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.net.NavigationPolicy;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.HandledDialog;
import dev.sightline.tools.execute.PageEvent;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.execute.UploadFile;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * Pages as they are on real sites, driven by pixel clicks and typing only: a form in a cross-origin iframe (two
 * loopback origins, both listed in the task's host rules), buttons in open and closed shadow roots, JavaScript
 * dialogs the model answers, popups that take over and close, file choosers that get the task's files.
 */
@Timeout(120)
class PagesAsTheyAreIT {

	private static final PixelBudget BUDGET = new PixelBudget(3136, 1280 * 28 * 28);

	/** The page's background, {@code #ccddee}: what a screenshot shows where nothing is drawn. */
	private static final int BACKGROUND = 0xCCDDEE;

	private static HttpServer outer;

	private static HttpServer inner;

	private static final Queue<String> innerRequests = new ConcurrentLinkedQueue<>();

	private static BrowserPool pool;

	@TempDir
	Path downloads;

	@BeforeAll
	static void start() throws IOException {
		outer = server(PagesAsTheyAreIT::serveOuter);
		inner = server(PagesAsTheyAreIT::serveInner);
		pool = new BrowserPool(BrowserSettings.defaults().withSettleGraceMs(300));
	}

	@AfterAll
	static void stop() {
		pool.close();
		outer.stop(0);
		inner.stop(0);
	}

	private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", handler);
		server.start();
		return server;
	}

	private static String outerUrl(String path) {
		return "http://127.0.0.1:" + outer.getAddress().getPort() + path;
	}

	/** The other origin: another host name and another port. */
	private static String innerUrl(String path) {
		return "http://localhost:" + inner.getAddress().getPort() + path;
	}

	private static void serveOuter(HttpExchange exchange) throws IOException {
		switch (exchange.getRequestURI().getPath()) {
			case "/frame-form.html" -> html(exchange, """
					<h1 style="margin:0">checkout</h1>
					<iframe src="%s" style="position:absolute;left:100px;top:100px;width:500px;height:300px;border:0">
					</iframe>""".formatted(innerUrl("/form.html")));
			case "/frame-unlisted.html" -> html(exchange, """
					<iframe src="%s" style="position:absolute;left:100px;top:100px;width:500px;height:300px;border:0">
					</iframe>""".formatted("http://127.0.0.1:" + inner.getAddress().getPort() + "/form.html"));
			case "/shadow.html" -> html(exchange, """
					<div id="open" style="position:absolute;left:50px;top:50px"></div>
					<div id="closed" style="position:absolute;left:50px;top:200px"></div>
					<p id="status" style="position:absolute;left:50px;top:400px">idle</p>
					<script>
					for (const mode of ['open', 'closed']) {
					  const root = document.getElementById(mode).attachShadow({mode});
					  root.innerHTML = '<form><input placeholder="Code" style="display:block;width:200px;height:40px">'
					    + '<button type="submit" style="display:block;width:200px;height:60px">Go ' + mode + '</button></form>';
					  root.querySelector('form').addEventListener('submit', e => {
					    e.preventDefault();
					    document.getElementById('status').textContent += ' ' + mode + ':' + root.querySelector('input').value;
					  });
					}
					</script>""");
			case "/dialogs.html" -> html(exchange, """
					<button id="confirm" style="position:absolute;left:50px;top:400px;width:200px;height:40px"
					 onclick="this.textContent = confirm('Delete the draft?') ? 'confirmed' : 'cancelled'">confirm</button>
					<button id="prompt" style="position:absolute;left:300px;top:400px;width:200px;height:40px"
					 onclick="this.textContent = 'got ' + prompt('Your name?', 'guest')">prompt</button>
					<button id="alert" style="position:absolute;left:550px;top:400px;width:200px;height:40px"
					 onclick="alert('Saved'); this.textContent = 'after alert'">alert</button>
					<button id="later" style="position:absolute;left:800px;top:400px;width:200px;height:40px"
					 onclick="setTimeout(() => { this.textContent = confirm('Later?') ? 'yes' : 'no'; }, 50)">later</button>""");
			case "/popup.html" -> html(exchange, """
					<button style="position:absolute;left:50px;top:50px;width:200px;height:40px"
					 onclick="window.open('/child.html')">open</button>""");
			case "/child.html" -> html(exchange, """
					<style>body{background:#ff0000 !important}</style>
					<button style="position:absolute;left:50px;top:50px;width:200px;height:40px"
					 onclick="window.close()">close me</button>""");
			case "/upload.html" -> html(exchange, """
					<input type="file" id="files" multiple
					 style="position:absolute;left:50px;top:50px;width:300px;height:40px"
					 onchange="document.getElementById('status').textContent =
					   [...this.files].map(f => f.name + ':' + f.size + ':' + f.type).join(',')">
					<p id="status" style="position:absolute;left:50px;top:200px">none</p>""");
			default -> notFound(exchange);
		}
	}

	private static void serveInner(HttpExchange exchange) throws IOException {
		innerRequests.add(exchange.getRequestURI().toString());
		switch (exchange.getRequestURI().getPath()) {
			case "/form.html" -> html(exchange, """
					<form action="/submitted" method="get">
					<input name="name" placeholder="Name on card"
					 style="position:absolute;left:50px;top:50px;width:300px;height:40px">
					<button type="submit" style="position:absolute;left:50px;top:150px;width:200px;height:50px">Pay</button>
					</form>""");
			case "/submitted" -> html(exchange, "<p id=\"done\">paid</p>");
			default -> notFound(exchange);
		}
	}

	private static void html(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = ("<!doctype html><html><body style=\"margin:0;background:#ccddee\">" + body)
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static void notFound(HttpExchange exchange) throws IOException {
		exchange.sendResponseHeaders(404, -1);
		exchange.close();
	}

	/** Both origins are listed, nothing else: the iframe loads because the task's rules allow its host. */
	private BrowserTarget target(String path) {
		NavigationPolicy policy = NavigationPolicy.forListedHosts(
				List.of("127.0.0.1:" + outer.getAddress().getPort(), "localhost:" + inner.getAddress().getPort()),
				List.of());
		return new BrowserTarget(outerUrl(path), 1280, 720, 1, policy, downloads);
	}

	private static ActionOutcome click(BrowserExecutor browser, CoordinateMapping mapping, double x, double y) {
		return browser.execute(new LeftClick(mapping.toModel(new ScreenPoint(x, y))), mapping);
	}

	@Test
	void fillsAndSubmitsAFormInACrossOriginIframeByPixels() {
		try (BrowserExecutor browser = pool.open(target("/frame-form.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			awaitInnerForm(browser);
			// The field is at (50, 50) in the iframe at (100, 100): its centre is (300, 170) on the page.
			click(browser, mapping, 300, 170);
			browser.execute(new TypeText("Ada Lovelace"), mapping);

			PointInfo pay = browser.inspect(new ScreenPoint(250, 275));
			assertThat(pay.frameUrl()).startsWith(innerUrl("/form.html"));
			assertThat(pay.submitsForm()).isTrue();
			assertThat(pay.element()).isEqualTo("button 'Pay'");

			click(browser, mapping, 250, 275);

			assertThat(innerRequests).contains("/submitted?name=Ada+Lovelace");
			assertThat(browser.currentUrl()).as("the top page stays").isEqualTo(outerUrl("/frame-form.html"));
		}
	}

	@Test
	void anIframeFromAnOriginTheHostRulesDoNotListIsNotLoaded() throws InterruptedException {
		int before = innerRequests.size();
		try (BrowserExecutor browser = pool.open(target("/frame-unlisted.html"))) {
			String unlisted = "http://127.0.0.1:" + inner.getAddress().getPort() + "/form.html";
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (browser.blockedRequests().stream().noneMatch(b -> b.url().startsWith(unlisted))
					&& System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(browser.blockedRequests()).anySatisfy(b -> assertThat(b.url()).startsWith(unlisted));
			assertThat(innerRequests.size()).as("requests that reached the unlisted origin").isEqualTo(before);
		}
	}

	@Test
	void clicksAndTypesIntoOpenAndClosedShadowRoots() {
		try (BrowserExecutor browser = pool.open(target("/shadow.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			click(browser, mapping, 150, 70);
			browser.execute(new TypeText("123"), mapping);
			click(browser, mapping, 150, 120);
			click(browser, mapping, 150, 220);
			browser.execute(new TypeText("456"), mapping);
			click(browser, mapping, 150, 270);

			assertThat(browser.evaluate("document.getElementById('status').textContent"))
				.isEqualTo("idle open:123 closed:456");
		}
	}

	@Test
	void theProbeSeesButtonsAndFieldsInsideOpenAndClosedShadowRoots() {
		try (BrowserExecutor browser = pool.open(target("/shadow.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			PointInfo open = browser.inspect(new ScreenPoint(150, 120));
			PointInfo closed = browser.inspect(new ScreenPoint(150, 270));

			assertThat(open.element()).isEqualTo("button 'Go open'");
			assertThat(open.submitsForm()).isTrue();
			assertThat(closed.element()).isEqualTo("button 'Go closed'");
			assertThat(closed.submitsForm()).isTrue();

			for (double y : new double[] { 70, 220 }) {
				click(browser, mapping, 150, y);
				browser.execute(new TypeText("4111"), mapping);
				PointInfo focused = browser.inspect(null);
				assertThat(focused.element()).as("the focused field at y=" + y).isEqualTo("input[text] 'Code'");
				assertThat(focused.submitsForm()).as("Enter in the field submits its form").isTrue();
			}
		}
	}

	@Test
	void masksASecretTypedIntoAClosedShadowRootField() throws IOException {
		try (BrowserExecutor browser = pool.open(target("/shadow.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			click(browser, mapping, 150, 220);
			browser.execute(new TypeText("hunter2"), mapping);
			browser.secretTyped();

			Screenshot masked = browser.maskSecrets(browser.screenshot());

			assertThat(rgb(masked, 150, 220)).as("inside the field").isZero();
			assertThat(rgb(masked, 900, 600)).as("elsewhere").isEqualTo(BACKGROUND);
		}
	}

	@Test
	void aConfirmStaysOpenIsDrawnOnTheScreenshotAndIsAnsweredByTheModel() throws IOException {
		try (BrowserExecutor browser = pool.open(target("/dialogs.html"))) {
			Screenshot before = browser.screenshot();
			CoordinateMapping mapping = before.mapping(BUDGET);

			ActionOutcome clicked = click(browser, mapping, 150, 420);

			assertThat(clicked.openDialog()).isNotNull();
			assertThat(clicked.openDialog().type()).isEqualTo("confirm");
			assertThat(clicked.openDialog().message()).isEqualTo("Delete the draft?");
			assertThat(clicked.dialogs()).isEmpty();
			assertThat(browser.openDialog()).contains(clicked.openDialog());
			Screenshot shown = browser.screenshot();
			assertThat(rgb(before, 880, 34)).isEqualTo(BACKGROUND);
			assertThat(rgb(shown, 880, 34)).as("the dialog's box is drawn where the page was").isEqualTo(0xFFFFFF);
			assertThat(browser.inspect(null).element()).isEqualTo("javascript confirm dialog");

			ActionOutcome answered = browser.execute(new AnswerDialog(true, null), mapping);

			assertThat(answered.openDialog()).isNull();
			assertThat(answered.dialogs()).singleElement()
				.isEqualTo(new HandledDialog("confirm", "Delete the draft?", true, HandledDialog.BY_THE_MODEL));
			assertThat(browser.evaluate("document.getElementById('confirm').textContent")).isEqualTo("confirmed");
			assertThat(rgb(browser.screenshot(), 880, 34)).isEqualTo(BACKGROUND);

			click(browser, mapping, 150, 420);
			browser.execute(new AnswerDialog(false, null), mapping);
			assertThat(browser.evaluate("document.getElementById('confirm').textContent")).isEqualTo("cancelled");
		}
	}

	@Test
	void aPromptGetsTheModelsTextAndAnAlertOpenedByATimerWaitsToo() {
		try (BrowserExecutor browser = pool.open(target("/dialogs.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			ActionOutcome prompt = click(browser, mapping, 400, 420);
			assertThat(prompt.openDialog().defaultValue()).isEqualTo("guest");
			browser.execute(new AnswerDialog(true, "Grace"), mapping);
			assertThat(browser.evaluate("document.getElementById('prompt').textContent")).isEqualTo("got Grace");

			// Opened 50 ms after the click, while the executor waits for the click's effect: nothing blocks on it.
			ActionOutcome later = click(browser, mapping, 900, 420);
			if (later.openDialog() == null) {
				later = browser.execute(new Wait(200), mapping);
			}
			assertThat(later.openDialog().message()).isEqualTo("Later?");
			browser.execute(new AnswerDialog(true, null), mapping);
			assertThat(browser.evaluate("document.getElementById('later').textContent")).isEqualTo("yes");
		}
	}

	@Test
	void anUnansweredDialogIsDismissedWithANoteOnTimeOrWhenTheModelActsElsewhere() {
		try (BrowserPool quick = new BrowserPool(BrowserSettings.defaults().withDialogTimeoutMs(400));
				BrowserExecutor browser = quick.open(target("/dialogs.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			assertThat(click(browser, mapping, 150, 420).openDialog()).isNotNull();

			ActionOutcome next = browser.execute(new Wait(600), mapping);

			assertThat(next.openDialog()).isNull();
			assertThat(next.dialogs()).singleElement().satisfies(dialog -> {
				assertThat(dialog.accepted()).isFalse();
				assertThat(dialog.note()).isEqualTo("dismissed: unanswered for 400 ms");
			});
			assertThat(browser.evaluate("document.getElementById('confirm').textContent")).isEqualTo("cancelled");
		}
		try (BrowserExecutor browser = pool.open(target("/dialogs.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			assertThat(click(browser, mapping, 650, 420).openDialog().type()).isEqualTo("alert");

			ActionOutcome elsewhere = click(browser, mapping, 150, 420);

			assertThat(elsewhere.dialogs()).first()
				.satisfies(dialog -> assertThat(dialog.note()).contains("without answering it"));
			assertThat(elsewhere.openDialog().message()).as("the click itself went on to the confirm")
				.isEqualTo("Delete the draft?");
			assertThatThrownBy(() -> browser.evaluate("1")).as("scripts are stopped under a dialog")
				.hasMessageContaining("waits on its JavaScript confirm dialog");
			browser.execute(new AnswerDialog(true, null), mapping);
			assertThat(browser.evaluate("document.getElementById('alert').textContent")).isEqualTo("after alert");
			assertThat(browser.evaluate("document.getElementById('confirm').textContent")).isEqualTo("confirmed");
		}
	}

	@Test
	void aPopupBecomesTheCurrentPageAndClosingItReturnsToTheOpener() throws IOException {
		try (BrowserExecutor browser = pool.open(target("/popup.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);

			ActionOutcome opened = click(browser, mapping, 150, 70);

			assertThat(opened.pages()).singleElement().satisfies(event -> {
				assertThat(event.kind()).isEqualTo(PageEvent.Kind.PAGE_OPENED);
				assertThat(event.url()).isEqualTo(outerUrl("/child.html"));
			});
			assertThat(browser.currentUrl()).isEqualTo(outerUrl("/child.html"));
			assertThat(rgb(browser.screenshot(), 900, 600)).as("the popup's red").isEqualTo(0xFF0000);

			ActionOutcome closed = click(browser, mapping, 150, 70);

			assertThat(closed.pages()).extracting(PageEvent::kind).containsExactly(PageEvent.Kind.PAGE_CLOSED);
			assertThat(browser.currentUrl()).isEqualTo(outerUrl("/popup.html"));
			assertThat(rgb(browser.screenshot(), 900, 600)).isEqualTo(BACKGROUND);
		}
	}

	@Test
	void aFileChooserGetsTheTasksFilesOrIsDismissedWithANote() throws IOException {
		Path invoice = Files.writeString(downloads.resolve("stored-1"), "invoice body");
		Path photo = Files.write(downloads.resolve("stored-2"), new byte[] { 1, 2, 3 });
		List<UploadFile> files = List.of(new UploadFile("invoice.txt", "text/plain", invoice, 12),
				new UploadFile("photo.png", "image/png", photo, 3));
		try (BrowserExecutor browser = pool.open(target("/upload.html").withUploads(files))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);

			List<PageEvent> chosen = eventsOf(browser, mapping, click(browser, mapping, 200, 70));

			assertThat(chosen).singleElement().satisfies(event -> {
				assertThat(event.kind()).isEqualTo(PageEvent.Kind.FILES_CHOSEN);
				assertThat(event.detail()).isEqualTo("2 files: invoice.txt, photo.png");
			});
			assertThat(browser.evaluate("document.getElementById('status').textContent"))
				.isEqualTo("invoice.txt:12:text/plain,photo.png:3:image/png");
		}
		try (BrowserExecutor browser = pool.open(target("/upload.html"))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);

			List<PageEvent> dismissed = eventsOf(browser, mapping, click(browser, mapping, 200, 70));

			assertThat(dismissed).extracting(PageEvent::kind)
				.containsExactly(PageEvent.Kind.FILE_CHOOSER_DISMISSED);
			assertThat(browser.evaluate("document.getElementById('status').textContent")).isEqualTo("none");
		}
	}

	/** The action's page events; on a loaded machine they may come after its settle window, with a later action. */
	private static List<PageEvent> eventsOf(BrowserExecutor browser, CoordinateMapping mapping, ActionOutcome outcome) {
		List<PageEvent> events = new java.util.ArrayList<>(outcome.pages());
		for (int i = 0; i < 30 && events.isEmpty(); i++) {
			events.addAll(browser.execute(new Wait(100), mapping).pages());
		}
		return events;
	}

	private static void awaitInnerForm(BrowserExecutor browser) {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < deadline) {
			String frame = browser.inspect(new ScreenPoint(300, 170)).frameUrl();
			if (frame != null && frame.startsWith(innerUrl("/form.html"))) {
				return;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static int rgb(Screenshot shot, int x, int y) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot.png()));
		return image.getRGB(x, y) & 0xFFFFFF;
	}

}
