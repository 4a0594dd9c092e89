package dev.sightline.agent.approval;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Human approval end to end: real Chromium on a local form, real HTTP, the scripted model server as the only double.
 * A rule {@code submit} on the site's host pauses the task before the click on the form's submit button; the API
 * approves or rejects it. The 1280x720 viewport is resized to 1288x728 for the model, so model point (302, 201) is
 * CSS (300.1, 198.8): inside the Pay button.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApprovalIT {

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	static HttpServer site = startSite();

	static final String CLICK_PAY = "{\"action\": \"left_click\", \"coordinate\": [302, 201]}";

	static final String CLICK_ELSEWHERE = "{\"action\": \"left_click\", \"coordinate\": [900, 600]}";

	static final String SUCCESS = "{\"action\": \"terminate\", \"status\": \"success\"}";

	@LocalServerPort
	int port;

	@Autowired
	TaskStore store;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ScriptedModelProperties.register(registry, model);
		registry.add("sightline.model.name", () -> "scripted-qwen");
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.browser.allowed-hosts", ApprovalIT::siteHost);
		registry.add("sightline.agent.concurrency", () -> 1);
		registry.add("sightline.agent.settle-ms", () -> 50);
		registry.add("sightline.agent.approval.rules[0].on", () -> "submit");
		registry.add("sightline.agent.approval.rules[0].hosts", ApprovalIT::siteHost);
	}

	@AfterAll
	static void close() {
		site.stop(0);
		model.close();
	}

	@Test
	void pausesBeforeSubmittingAFormAndContinuesWhenApproved() throws Exception {
		// A click beside the form needs no approval; the click on Pay does.
		model.enqueue(Reply.toolCall(CLICK_ELSEWHERE), Reply.toolCall(CLICK_PAY), Reply.toolCall(SUCCESS));
		String id = submit("Pay the invoice");

		Task waiting = await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);
		assertThat(waiting.steps()).isEqualTo(1);
		assertThat(eventsOf(id)).contains("approval_requested ")
			.contains("approval rule 'submit on " + siteHost() + "' matches left_click: button 'Pay'");
		assertThat(sitePath()).isEqualTo("/");

		HttpResponse<String> approved = post("/api/v1/tasks/" + id + "/approve", "{\"comment\": \"looks right\"}");

		assertThat(approved.statusCode()).isEqualTo(202);
		Task done = await(id, task -> task.status().isFinal());
		assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(sitePath()).as("the form was submitted after approval").startsWith("/paid");
		List<Step> steps = store.steps(id);
		assertThat(steps).hasSize(3);
		assertThat(steps.get(1).outcome()).contains("click");
		// Approval time is a person's, not the loop's: the step's execute phase stays short.
		assertThat(steps.get(1).timings().executeMs()).isLessThan(5_000);
		assertThat(get("/api/v1/tasks/" + id + "/events").body()).contains("event:approval_decided")
			.contains("\"approved\":true").contains("looks right");
	}

	@Test
	void failsWithAClearMessageWhenRejected() throws Exception {
		model.enqueue(Reply.toolCall(CLICK_PAY));
		String id = submit("Pay the invoice again");
		await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);

		HttpResponse<String> rejected = post("/api/v1/tasks/" + id + "/reject", "{\"comment\": \"wrong amount\"}");

		assertThat(rejected.statusCode()).isEqualTo(202);
		Task done = await(id, task -> task.status().isFinal());
		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(done.message()).contains("rejected by a person: step 1 would left_click")
			.contains("submit on " + siteHost())
			.contains("comment: wrong amount");
		List<Step> steps = store.steps(id);
		assertThat(steps).as("the refused step is recorded, its action not run").hasSize(1);
		assertThat(steps.get(0).outcome()).startsWith("not run: rejected by a person");
		assertThat(sitePath()).doesNotStartWith("/paid");
	}

	@Test
	void asksAgainWhenThePageChangesBetweenApprovalAndClick() throws Exception {
		model.enqueue(Reply.toolCall(CLICK_PAY));
		String id = submit("Donate a little", "/swap");
		await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);
		assertThat(eventsOf(id)).contains("button 'Donate 5'");

		// While the person reads "Donate 5", the page puts "Donate 500" where the click will land.
		Thread.sleep(5_000);
		assertThat(post("/api/v1/tasks/" + id + "/approve", "").statusCode()).isEqualTo(202);

		await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL && eventsOf(id).contains("Donate 500"));
		assertThat(sitePath()).as("nothing submitted on the first approval").doesNotStartWith("/paid");
		assertThat(post("/api/v1/tasks/" + id + "/reject", "{\"comment\": \"not 500\"}").statusCode())
			.isEqualTo(202);
		Task done = await(id, task -> task.status().isFinal());
		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(sitePath()).doesNotStartWith("/paid");
	}

	@Test
	void typingALineBreakIntoAFormFieldWaitsForApproval() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"type\", \"text\": \"4111\\n\"}"));
		String id = submit("Enter the card", "/card");

		await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);
		assertThat(eventsOf(id)).contains("matches type: input[text] 'Card number'");
		assertThat(post("/api/v1/tasks/" + id + "/reject", "").statusCode()).isEqualTo(202);
		Task done = await(id, task -> task.status().isFinal());

		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(sitePath()).as("the Enter in the text never reached the form").doesNotStartWith("/paid");
	}

	@Test
	void answersConflictWhenATaskIsNotAwaitingApproval() throws Exception {
		model.enqueue(Reply.toolCall(SUCCESS));
		String id = submit("Just finish");
		await(id, task -> task.status().isFinal());

		HttpResponse<String> response = post("/api/v1/tasks/" + id + "/approve", "");

		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("is succeeded, not awaiting_approval; there is nothing to approve");
		assertThat(post("/api/v1/tasks/no-such-task/reject", "").statusCode()).isEqualTo(404);
	}

	@Test
	void recordsTheModelsTokensInEachStepAndItsEvents() throws Exception {
		model.enqueue(Reply.toolCall(SUCCESS));
		String id = submit("Finish at once");
		await(id, task -> task.status().isFinal());

		Step step = store.steps(id).get(0);
		// The scripted server reports usage (prompt 1000); completion comes from the endpoint's usage too.
		assertThat(step.promptTokens()).isEqualTo(1000);
		assertThat(step.completionTokens()).isPositive();
		assertThat(step.timings().modelMs()).isPositive();
		assertThat(get("/api/v1/tasks/" + id + "/steps").body()).contains("\"promptTokens\":1000");
		assertThat(get("/api/v1/tasks/" + id + "/events").body())
			.contains("\"completionTokens\":" + step.completionTokens());
	}

	@Test
	void theDashboardShowsTheRuleAndApprovesWithItsButton() throws Exception {
		model.enqueue(Reply.toolCall(CLICK_PAY), Reply.toolCall(SUCCESS));
		String id = submit("Pay through the dashboard");
		await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);

		try (Playwright playwright = BrowserLauncher.playwright();
				Browser browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults())) {
			Page page = browser.newPage();
			page.navigate("http://127.0.0.1:" + port + "/tasks/" + id);
			assertThat(page.locator("#approval-note").textContent()).contains("submit on " + siteHost())
				.contains("button 'Pay'");
			assertThat(page.locator("#reject").isVisible()).isTrue();

			page.locator("#approve").click();

			Task done = await(id, task -> task.status().isFinal());
			assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
			assertThat(eventsOf(id)).contains("approval_decided").contains("from the dashboard");
			page.reload();
			assertThat(page.locator("#approve").count()).isZero();
		}
	}

	String submit(String goal) throws Exception {
		return submit(goal, "/");
	}

	String submit(String goal, String path) throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "%s", "target": {"type": "browser", "url": "http://%s%s"}, "maxSteps": 5,
				 "timeoutSeconds": 60}""".formatted(goal, siteHost(), path));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
	}

	Task await(String id, Predicate<Task> condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
		while (System.nanoTime() < deadline) {
			Task task = store.find(id).orElseThrow();
			if (condition.test(task)) {
				return task;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("task " + id + " never reached the expected state: " + store.find(id));
	}

	/** The task's stored events as "type data" lines (the SSE stream stays open while a task runs). */
	String eventsOf(String id) {
		return String.join("\n", store.events(id, 0).stream().map(e -> e.type() + " " + e.dataJson()).toList());
	}

	HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String json) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String siteHost() {
		return "127.0.0.1:" + site.getAddress().getPort();
	}

	/**
	 * A small donation button that the page swaps, at the same place, for a large one in another form four seconds
	 * after it loaded: what a page does between a person's approval and the click. A timer, not a request: the
	 * browser's requests wait for the executor's next call, and a person's approval is long enough for a timer.
	 */
	static final String SWAP_PAGE = """
			<!doctype html><title>Donate</title>
			<body style="margin:0;background:#fff;font:24px sans-serif">
			<form id="small" action="/paid-5" method="get">
			<button type="submit" style="position:absolute;left:200px;top:150px;width:200px;height:100px">Donate 5</button>
			</form>
			<script>
			setTimeout(() => {
			  document.body.innerHTML = '<form action="/paid-500" method="get"><button type="submit" '
			    + 'style="position:absolute;left:200px;top:150px;width:200px;height:100px">Donate 500</button></form>';
			}, 4000);
			</script></body>""";

	/** A focused card field in a form: typing a line break into it submits the form. */
	static final String CARD_PAGE = """
			<!doctype html><title>Card</title>
			<body style="margin:0;background:#fff;font:24px sans-serif">
			<form action="/paid" method="get">
			<input name="card" placeholder="Card number" autofocus style="position:absolute;left:200px;top:150px;width:300px;height:40px">
			</form></body>""";

	/** The path of the last page the site served, so the test sees whether the form was submitted. */
	static volatile String lastPath = "";

	static String sitePath() {
		return lastPath;
	}

	private static HttpServer startSite() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().toString();
				if (!path.startsWith("/favicon")) {
					lastPath = path;
				}
				byte[] body = (path.startsWith("/paid") ? "<!doctype html><title>Paid</title><p>Paid</p>"
						: path.startsWith("/swap") ? SWAP_PAGE : path.startsWith("/card") ? CARD_PAGE : """
						<!doctype html><title>Invoice</title>
						<body style="margin:0;background:#fff;font:24px sans-serif">
						<form action="/paid" method="get"><input type="hidden" name="amount" value="42">
						<button type="submit" style="position:absolute;left:200px;top:150px;width:200px;height:100px">Pay</button>
						</form></body>""").getBytes(StandardCharsets.UTF_8);
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
