package dev.sightline.agent.dashboard;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskService;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in real Chromium against the running service, with the scripted model server as the only double. A
 * 1280x720 viewport is resized to 1288x728 for the model, so a model point (302, 201) lands at screenshot pixel
 * (300.1, 198.8). Screenshots of each page are written to {@code target/dashboard-screenshots} (copied to
 * docs/images for the README).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardIT {

	static final String ALICE = "alice-key-0123456789abcdef";

	static final String BOB = "bob-key-0123456789abcdefgh";

	static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	static HttpServer site = startSite();

	static Playwright playwright;

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	TaskService tasks;

	BrowserContext context;

	Page page;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ScriptedModelProperties.register(registry, model);
		registry.add("sightline.model.name", () -> "scripted-qwen");
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.browser.allowed-hosts", () -> "127.0.0.1:" + site.getAddress().getPort());
		registry.add("sightline.security.api-keys", () -> "alice=" + ALICE + ",bob=" + BOB);
		registry.add("sightline.webhooks.tenants.alice.secret", () -> "alice-webhook-signing-secret-0123456789");
		registry.add("sightline.agent.concurrency", () -> 1);
		registry.add("sightline.agent.settle-ms", () -> 50);
	}

	@BeforeAll
	static void launch() throws IOException {
		Files.createDirectories(SCREENSHOTS);
		playwright = BrowserLauncher.playwright();
		browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
	}

	@AfterAll
	static void close() {
		browser.close();
		playwright.close();
		site.stop(0);
		model.close();
	}

	@BeforeEach
	void openPage() {
		context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
		page = context.newPage();
		page.setDefaultTimeout(20_000);
	}

	@AfterEach
	void closePage() {
		context.close();
	}

	@Test
	void logsInSubmitsATaskThroughTheFormAndWatchesItFinishLive() {
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [302, 201]}").afterMs(300),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}").afterMs(300));
		logIn(ALICE);
		screenshot("tasks");

		page.getByLabel("Goal").fill("Press the big button");
		page.getByLabel("Start URL").fill(siteUrl());
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Submit task")).click();

		page.waitForURL("**/tasks/*");
		assertThat(page.locator("[data-live-status]")).hasText("succeeded", longWait());
		assertThat(page.locator("#timeline tbody tr")).hasCount(2);
		assertThat(page.locator("#parsed-action")).containsText("terminate");
		assertThat(page.locator("#timeline tbody tr").first()).containsText("left_click");
		screenshot("task");
		page.navigate(base() + "/tasks");
		assertThat(page.locator("table.tasks")).containsText("Press the big button");
		assertThat(page.locator("table.tasks .status").first()).hasText("succeeded");
	}

	@Test
	void replayDrawsTheMarkerAtTheMappedPixelOfTheScreenshot() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [302, 201]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = submitAs("alice", "Click the button then stop");
		awaitFinal("alice", id);
		logIn(ALICE);

		page.navigate(base() + "/tasks/" + id + "/replay");
		page.waitForSelector("#replay-shot[data-drawn-step='1']");

		// 302 * 1280 / 1288 = 300.1 and 201 * 720 / 728 = 198.8 in screenshot pixels.
		assertThat(page.locator("#replay-shot").getAttribute("data-marker-x")).as("steps %s", tasks.steps("alice", id))
			.isEqualTo("300.1");
		assertThat(page.locator("#replay-shot").getAttribute("data-marker-y")).isEqualTo("198.8");
		assertThat(isMarkerColour(pixel("replay-shot", 300, 199))).as("marker at the mapped pixel").isTrue();
		assertThat(isMarkerColour(pixel("replay-shot", 360, 199))).as("page beside the marker").isFalse();
		screenshot("replay");

		page.keyboard().press("ArrowRight");
		page.waitForSelector("#replay-shot[data-drawn-step='2']");
		assertThat(page.locator("#step-label")).hasText("Step 2 of 2");
		assertThat(page.locator("#replay-action")).containsText("terminate");
		assertThat(isMarkerColour(pixel("replay-shot", 300, 199))).as("no marker for terminate").isFalse();
		page.keyboard().press("ArrowLeft");
		assertThat(page.locator("#step-label")).hasText("Step 1 of 2");
	}

	@Test
	void downloadsAStepLogAndABoundedSelfContainedReport() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [302, 201]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = submitAs("alice", "Click for the report");
		awaitFinal("alice", id);
		logIn(ALICE);
		page.navigate(base() + "/tasks/" + id + "/replay");

		var log = page.waitForDownload(() -> page.getByText("Download step log (JSON)").click());
		var report = page.waitForDownload(() -> page.getByText("Download HTML report").click());

		String json = Files.readString(log.path());
		assertThat(json).contains("\"rawOutput\"").contains("left_click").contains("\"modelMs\"");
		String html = Files.readString(report.path());
		assertThat(report.suggestedFilename()).isEqualTo("sightline-task-" + id + ".html");
		assertThat(html).contains("Click for the report").contains("data:image/jpeg;base64,").doesNotContain("<script");
		assertThat(html.length()).isLessThan(1_000_000);
	}

	@Test
	void cancelsARunningTaskFromItsPage() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"wait\", \"time\": 1}").afterMs(20_000));
		logIn(ALICE);
		String id = submitAs("alice", "Wait for a very long time");
		assertThat(model.awaitRequests(before + 1, 30_000)).isTrue();

		page.navigate(base() + "/tasks/" + id);
		assertThat(page.locator("[data-live-status]")).hasText("running");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel task")).click();

		assertThat(page.locator("[data-live-status]")).hasText("cancelled", longWait());
		assertThat(page.locator("#cancel")).hasCount(0);
	}

	@Test
	void eachTenantSeesOnlyItsOwnTasks() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String aliceTask = submitAs("alice", "Alice's private errand");
		awaitFinal("alice", aliceTask);

		logIn(BOB);
		assertThat(page.locator("main")).not().containsText("Alice's private errand");
		var detail = page.navigate(base() + "/tasks/" + aliceTask);
		assertThat(detail.status()).isEqualTo(404);
		assertThat(page.locator("h1")).hasText("Not found");
		var api = page.request().get(base() + "/api/v1/tasks/" + aliceTask);
		assertThat(api.status()).isEqualTo(404);
		var screenshot = page.request().get(base() + "/api/v1/tasks/" + aliceTask + "/steps/1/screenshot");
		assertThat(screenshot.status()).isEqualTo(404);
	}

	@Test
	void sendsBrowsersWithoutASessionToLoginAndRefusesBadKeysAndForgedForms() {
		var answer = page.navigate(base() + "/tasks");
		assertThat(page).hasURL(base() + "/login?next=%2Ftasks");
		assertThat(answer.status()).isEqualTo(200);
		page.getByLabel("API key").fill("not-a-key-of-anyone-here");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
		assertThat(page.getByRole(AriaRole.ALERT)).containsText("not valid");
		screenshot("login");

		logIn(ALICE);
		var forged = page.request()
			.post(base() + "/tasks", RequestOptions.create()
				.setForm(FormData.create()
					.set("goal", "forged")
					.set("targetType", "browser")
					.set("url", siteUrl())));
		assertThat(forged.status()).isEqualTo(403);
		var forgedApi = page.request()
			.post(base() + "/api/v1/tasks", RequestOptions.create()
				.setHeader("Content-Type", "application/json")
				.setData("{\"goal\": \"forged\", \"target\": {\"type\": \"browser\", \"url\": \"" + siteUrl() + "\"}}"));
		assertThat(forgedApi.status()).isEqualTo(403);
		assertThat(tasks.list("alice", null, 0, 100).items()).extracting(t -> t.spec().goal()).doesNotContain("forged");
	}

	@Test
	void showsWhyASubmittedFormWasRefused() {
		logIn(ALICE);
		page.getByLabel("Goal").fill("Open a file URL");
		page.locator("#url").evaluate("e => e.type = 'text'");
		page.getByLabel("Start URL").fill("file:///etc/passwd");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Submit task")).click();

		assertThat(page.getByRole(AriaRole.ALERT)).containsText("target.url must be an http or https URL");
	}

	@Test
	void submitsAOneTimeCodeSeedAndAWebhookThroughTheForm() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		logIn(ALICE);
		page.getByLabel("Goal").fill("Log in with the code {{otp}}");
		page.getByLabel("Start URL").fill(siteUrl());
		page.locator("details.secrets summary").click();
		page.locator("#secret-name-0").fill("otp");
		page.locator("#secret-value-0").fill("not a seed!");
		page.locator("input[name=secretTotpRows][value='0']").check();
		page.locator("details.webhook summary").click();
		page.locator("#webhookUrl").evaluate("e => e.type = 'text'");
		page.locator("#webhookUrl").fill("http://10.1.2.3/hook");
		page.locator("input[name=webhookEvents][value=finished]").check();
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Submit task")).click();
		// The same rules and messages as the API's: the seed's pattern first, the webhook's network policy next.
		assertThat(page.getByRole(AriaRole.ALERT)).containsText("totp must be the Base32 seed");
		assertThat(page.locator("input[name=secretTotpRows][value='0']")).isChecked();

		page.locator("details.secrets summary").click();
		page.locator("#secret-value-0").fill("JBSWY3DPEHPK3PXP");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Submit task")).click();
		assertThat(page.getByRole(AriaRole.ALERT)).containsText("webhook.url 'http://10.1.2.3/hook'");

		page.locator("details.secrets summary").click();
		page.locator("#secret-value-0").fill("JBSWY3DPEHPK3PXP");
		page.locator("details.webhook summary").click();
		page.locator("#webhookUrl").fill(siteUrl() + "hook");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Submit task")).click();
		page.waitForURL("**/tasks/*");
		String id = page.url().replaceFirst(".*/tasks/", "");
		Task task = tasks.get("alice", id);
		org.assertj.core.api.Assertions.assertThat(task.spec().secretNames()).containsExactly("otp");
		org.assertj.core.api.Assertions.assertThat(task.spec().webhook().url()).isEqualTo(siteUrl() + "hook");
		org.assertj.core.api.Assertions.assertThat(task.spec().webhook().events()).containsExactly("finished");
		// Run to its end here, so the task takes no reply another test enqueued.
		awaitFinal("alice", id);
	}

	@Test
	void playgroundDrawsThePredictedPoint() throws Exception {
		model.enqueue(Reply.text("[{\"point_2d\": [200, 150], \"label\": \"the blue square\"}]"));
		logIn(ALICE);
		page.navigate(base() + "/playground");

		// 644x476 is a multiple of 28 inside the pixel budget: the model sees the image unscaled.
		page.setInputFiles("#ground-image", new FilePayload("shot.png", "image/png", png(644, 476)));
		page.getByLabel("Instruction").fill("the blue square");
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Locate")).click();

		page.waitForSelector("#ground-result[data-latency-ms]");
		assertThat(page.locator("#ground-result")).containsText("200, 150 px");
		assertThat(page.locator("#ground-status")).containsText("Answered in");
		assertThat(isMarkerColour(pixel("ground-canvas", 200, 150))).as("point drawn").isTrue();
		assertThat(isMarkerColour(pixel("ground-canvas", 400, 300))).as("image elsewhere").isFalse();
		screenshot("playground");
	}

	@Test
	void systemPageShowsTheBackendWorkersAndQueue() {
		logIn(ALICE);
		page.navigate(base() + "/system");

		assertThat(page.locator("#system-status")).containsText("openai");
		assertThat(page.locator("#system-status")).containsText("scripted-qwen");
		assertThat(page.locator("#queue-depth")).containsText("of 64");
		screenshot("system");
	}

	@Test
	void fitsANarrowWindow() {
		logIn(ALICE);
		page.setViewportSize(420, 900);
		page.navigate(base() + "/tasks");

		double formRight = (double) page.locator("#task-form")
			.evaluate("e => e.getBoundingClientRect().right");
		assertThat(formRight).isLessThanOrEqualTo(420);
		assertThat((Integer) page.evaluate("document.documentElement.scrollWidth")).isLessThanOrEqualTo(420);
		screenshot("tasks-narrow");
	}

	private void logIn(String key) {
		page.navigate(base() + "/login");
		page.getByLabel("API key").fill(key);
		page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
		page.waitForURL(base() + "/tasks");
	}

	private String submitAs(String tenant, String goal) {
		Task task = tasks.submit(tenant, new TaskRequest(goal,
				new TaskTarget.Browser(siteUrl(), new TaskTarget.Viewport(1280, 720), null), 6, 60, null, null, null));
		return task.id();
	}

	private void awaitFinal(String tenant, String id) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 60_000;
		while (!tasks.get(tenant, id).status().isFinal()) {
			if (System.currentTimeMillis() > deadline) {
				throw new AssertionError("task " + id + " did not finish: " + tasks.get(tenant, id));
			}
			Thread.sleep(100);
		}
	}

	/** The canvas pixel at image coordinates, as [r, g, b]. */
	@SuppressWarnings("unchecked")
	private List<Integer> pixel(String canvasId, int xPx, int yPx) {
		return (List<Integer>) page.evaluate("([id, x, y]) => Array.from(document.getElementById(id)"
				+ ".getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3))", List.of(canvasId, xPx, yPx));
	}

	/** The marker colour rgb(255, 0, 200), allowing for anti-aliasing. */
	private static boolean isMarkerColour(List<Integer> rgb) {
		return rgb.get(0) > 220 && rgb.get(1) < 40 && rgb.get(2) > 170 && rgb.get(2) < 230;
	}

	private static LocatorAssertions.HasTextOptions longWait() {
		return new LocatorAssertions.HasTextOptions().setTimeout(60_000);
	}

	private void screenshot(String name) {
		page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-" + name + ".png"))
			.setFullPage(true));
	}

	private String base() {
		return "http://127.0.0.1:" + port;
	}

	private static String siteUrl() {
		return "http://127.0.0.1:" + site.getAddress().getPort() + "/";
	}

	private static byte[] png(int widthPx, int heightPx) throws IOException {
		BufferedImage image = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, widthPx, heightPx);
		g.setColor(new Color(30, 90, 200));
		g.fillRect(150, 100, 100, 100);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	/** One page with a big green button at the top left, on 127.0.0.1. */
	private static HttpServer startSite() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
			server.createContext("/", exchange -> {
				byte[] body = """
						<!doctype html><title>Fixture</title>
						<body style="margin:0;background:#fff;font:24px sans-serif">
						<button style="position:absolute;left:200px;top:150px;width:200px;height:100px;background:#2a7"
						 onclick="document.body.append('pressed')">Press</button></body>"""
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot start the fixture site", e);
		}
	}

}
