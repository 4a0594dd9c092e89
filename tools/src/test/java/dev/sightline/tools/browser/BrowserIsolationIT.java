package dev.sightline.tools.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.net.NavigationPolicy;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * What one task's page can do to the agent and to other tasks: real Chromium per task, a local HTTP server that
 * serves hostile pages, a page that hangs and a download that never ends.
 */
class BrowserIsolationIT {

	private static final PixelBudget BUDGET = new PixelBudget(3136, 1280 * 28 * 28);

	/** Bytes the endless download may send before the cap stops it: 1 MiB cap, 50 ms watch, 64 MiB/s at most. */
	private static final long CAP_BYTES = 1 << 20;

	private static final long DOWNLOAD_TOTAL_BYTES = 600L << 20;

	private static HttpServer server;

	private static final AtomicLong downloadBytesSent = new AtomicLong();

	private static final CompletableFuture<Void> downloadEnded = new CompletableFuture<>();

	@TempDir
	Path downloads;

	@BeforeAll
	static void start() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", BrowserIsolationIT::serve);
		server.start();
	}

	@AfterAll
	static void stop() {
		server.stop(0);
	}

	private static String url(String host, String path) {
		return "http://" + host + ":" + server.getAddress().getPort() + path;
	}

	private static void serve(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		switch (path) {
			case "/slow" -> {
				sleep(8_000);
				html(exchange, "<title>slow</title>finally");
			}
			case "/endless.bin" -> endless(exchange);
			case "/download.html" -> html(exchange, """
					<a id="file" href="/endless.bin" download="big.bin"
					   style="position:absolute;left:50px;top:50px;width:200px;height:40px">download</a>""");
			case "/outer.html" -> html(exchange, """
					<body style="margin:0"><iframe src="%s" style="position:absolute;left:100px;top:100px;
					  width:400px;height:300px;border:0"></iframe></body>""".formatted(url("localhost", "/inner.html")));
			case "/inner.html" -> html(exchange, """
					<body style="margin:0"><form action="/paid" method="get">
					<button type="submit" style="position:absolute;left:50px;top:50px;width:200px;height:60px">Pay</button>
					</form></body>""");
			case "/form.html" -> html(exchange, """
					<body style="margin:0"><form action="/paid" method="get">
					<input id="card" name="card" placeholder="Card number" autofocus
					  style="position:absolute;left:50px;top:50px;width:300px;height:40px">
					</form></body>""");
			default -> {
				try (InputStream in = BrowserIsolationIT.class.getResourceAsStream("/pages" + path)) {
					if (in == null) {
						exchange.sendResponseHeaders(404, -1);
						exchange.close();
						return;
					}
					html(exchange, new String(in.readAllBytes(), StandardCharsets.UTF_8));
				}
			}
		}
	}

	private static void html(HttpExchange exchange, String body) throws IOException {
		byte[] bytes = ("<!doctype html><html><body>" + body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** 600 MiB at most 64 MiB/s: ten seconds if nobody stops it. */
	private static void endless(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
		exchange.sendResponseHeaders(200, DOWNLOAD_TOTAL_BYTES);
		byte[] chunk = new byte[64 * 1024];
		try (OutputStream out = exchange.getResponseBody()) {
			for (long sent = 0; sent < DOWNLOAD_TOTAL_BYTES; sent += chunk.length) {
				out.write(chunk);
				downloadBytesSent.addAndGet(chunk.length);
				sleep(1);
			}
		}
		catch (IOException ex) {
			// The browser cancelled it: what the test wants.
		}
		finally {
			downloadEnded.complete(null);
		}
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static BrowserTarget target(String url, Path downloads) {
		return new BrowserTarget(url, 1280, 720, 1, NavigationPolicy.defaults().withPrivateAddressesAllowed(true),
				downloads);
	}

	@Test
	void aTaskStuckOnASlowPageDoesNotDelayAnotherTasksScreenshotAndClick() throws Exception {
		try (BrowserPool pool = new BrowserPool(BrowserSettings.defaults().withMaxContexts(2));
				BrowserExecutor stuck = pool.open(target(url("127.0.0.1", "/form.html"), downloads));
				BrowserExecutor other = pool.open(target(url("127.0.0.1", "/form.html"), downloads))) {
			CoordinateMapping stuckMapping = stuck.screenshot().mapping(BUDGET);
			CompletableFuture<?> slow = CompletableFuture
				.runAsync(() -> stuck.execute(new Navigate(url("127.0.0.1", "/slow")), stuckMapping));
			Thread.sleep(500);
			assertThat(slow).as("the slow navigation is under way").isNotDone();

			long startNs = System.nanoTime();
			CoordinateMapping mapping = other.screenshot().mapping(BUDGET);
			other.execute(new LeftClick(mapping.toModel(new ScreenPoint(200, 70))), mapping);
			other.screenshot();
			long tookMs = (System.nanoTime() - startNs) / 1_000_000;

			assertThat(tookMs).as("the other task's screenshot, click and screenshot (ms)").isLessThan(3_000);
			assertThat(slow).as("still stuck").isNotDone();
			slow.get(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void aDownloadOverTheCapIsCancelledWhileItArrives() throws Exception {
		try (BrowserPool pool = new BrowserPool(
				BrowserSettings.defaults().withMaxDownloadBytes(CAP_BYTES).withSettleGraceMs(300));
				BrowserExecutor browser = pool.open(target(url("127.0.0.1", "/download.html"), downloads))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			List<Download> reported = new ArrayList<>(
					browser.execute(new LeftClick(mapping.toModel(new ScreenPoint(150, 70))), mapping).downloads());
			for (int i = 0; i < 50 && reported.isEmpty(); i++) {
				reported.addAll(browser.execute(new Wait(100), mapping).downloads());
			}
			downloadEnded.get(10, TimeUnit.SECONDS);

			assertThat(reported).singleElement().satisfies(download -> {
				assertThat(download.path()).isNull();
				assertThat(download.failure()).contains("exceeds the limit of " + CAP_BYTES + " bytes");
			});
			assertThat(downloadBytesSent.get()).as("bytes the server sent before the browser hung up")
				.isLessThan(64L << 20);
			assertThat(downloads).isEmptyDirectory();
		}
	}

	@Test
	void aFailedStartLeavesNoBrowserOpen() throws Exception {
		try (BrowserPool pool = new BrowserPool()) {
			long socketsBefore = openSockets();
			// Port 1 on loopback refuses: the start navigation fails after the proxy, browser and context exist.
			assertThatThrownBy(() -> pool.open(target("http://127.0.0.1:1/", downloads)))
				.isInstanceOf(ToolsException.class)
				.isNotInstanceOf(NavigationDeniedException.class);

			assertThat(pool.openContexts()).isZero();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while ((!chromiumProcesses().isEmpty() || openSockets() > socketsBefore) && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(chromiumProcesses()).as("Chromium processes left under this JVM").isEmpty();
			assertThat(openSockets()).as("sockets of this JVM (the task's proxy listener and its connections)")
				.isLessThanOrEqualTo(socketsBefore);
		}
	}

	/** Sockets this JVM holds open (listeners included). */
	private static long openSockets() throws IOException {
		try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter(fd -> {
				try {
					return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					// Closed while listed.
					return false;
				}
			}).count();
		}
	}

	private static List<ProcessHandle> chromiumProcesses() {
		return ProcessHandle.current()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
			.toList();
	}

	@Test
	void masksTheSecretFieldEvenWhenThePageStripsMarksAndPatchesGeometry() throws Exception {
		try (BrowserPool pool = new BrowserPool();
				BrowserExecutor browser = pool.open(target(url("127.0.0.1", "/hostile.html"), downloads))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new LeftClick(mapping.toModel(new ScreenPoint(250, 120))), mapping);
			browser.execute(new TypeText("hunter2-secret"), mapping);
			browser.secretTyped();

			Screenshot masked = browser.maskSecrets(browser.screenshot());
			assertThat(rgb(masked, 250, 120)).as("inside the field").isZero();
			assertThat(rgb(masked, 102, 102)).as("the field's corner").isZero();
			assertThat(rgb(masked, 600, 500)).as("elsewhere").isEqualTo(0xFFFFFF);

			// The page moves the field after typing: its new place is covered too, and its old one stays covered.
			browser.evaluate("document.getElementById('password').style.top = '500px'");
			Screenshot moved = browser.maskSecrets(browser.screenshot());
			assertThat(rgb(moved, 250, 520)).as("the field's new place").isZero();
			assertThat(rgb(moved, 250, 120)).as("the field's place at typing time").isZero();
			// Nothing of the executor's record is visible to the page.
			assertThat(browser.evaluate("document.querySelectorAll('[data-sightline-secret]').length")).isEqualTo(0);
		}
	}

	@Test
	void theProbeSeesTheSubmitButtonThePageHidesFromItsOwnScripts() {
		try (BrowserPool pool = new BrowserPool();
				BrowserExecutor browser = pool.open(target(url("127.0.0.1", "/hostile.html"), downloads))) {
			assertThat(browser.evaluate("document.elementFromPoint(200, 330) === document.body")).isEqualTo(true);

			PointInfo pay = browser.inspect(new ScreenPoint(200, 330));

			assertThat(pay.submitsForm()).isTrue();
			assertThat(pay.element()).isEqualTo("button 'Pay'");
			assertThat(pay.frameUrl()).endsWith("/hostile.html");
		}
	}

	@Test
	void aClickInACrossSiteIframeIsResolvedToItsFrameAndHost() {
		try (BrowserPool pool = new BrowserPool();
				BrowserExecutor browser = pool.open(target(url("127.0.0.1", "/outer.html"), downloads))) {
			awaitFrames(browser);

			PointInfo pay = browser.inspect(new ScreenPoint(100 + 150, 100 + 80));

			assertThat(pay.pageUrl()).startsWith("http://127.0.0.1:");
			assertThat(pay.frameUrl()).startsWith("http://localhost:").endsWith("/inner.html");
			assertThat(pay.submitsForm()).isTrue();
			assertThat(pay.opaque()).isFalse();
			assertThat(pay.element()).isEqualTo("button 'Pay'");
		}
	}

	@Test
	void enterInAFormFieldSubmitsAndTheLabelNeverCarriesTheTypedValue() {
		try (BrowserPool pool = new BrowserPool();
				BrowserExecutor browser = pool.open(target(url("127.0.0.1", "/form.html"), downloads))) {
			CoordinateMapping mapping = browser.screenshot().mapping(BUDGET);
			browser.execute(new TypeText("4111-1111-1111-1111"), mapping);

			PointInfo focused = browser.inspect(null);

			assertThat(focused.submitsForm()).isTrue();
			assertThat(focused.element()).isEqualTo("input[text] 'Card number'").doesNotContain("4111");
		}
	}

	private static void awaitFrames(BrowserExecutor browser) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			if (Boolean.TRUE.equals(browser.evaluate("document.querySelector('iframe') !== null"))
					&& browser.inspect(new ScreenPoint(250, 180)).frameUrl() != null
					&& browser.inspect(new ScreenPoint(250, 180)).frameUrl().endsWith("/inner.html")) {
				return;
			}
			sleep(100);
		}
	}

	private static int rgb(Screenshot shot, int x, int y) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot.png()));
		return image.getRGB(x, y) & 0xFFFFFF;
	}

}
