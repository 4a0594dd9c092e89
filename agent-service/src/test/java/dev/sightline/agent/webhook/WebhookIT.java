package dev.sightline.agent.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhooks end to end: a real task, a real local HTTP receiver (a context of the allowed test site), signatures
 * checked as a receiver would, retries after failures, the delivery log; and a receiver the network policy does not
 * allow never hears from the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sightline.webhooks.tenants.local.secret=" + WebhookIT.SECRET,
				"sightline.webhooks.initial-backoff-ms=100", "sightline.webhooks.max-backoff-ms=400",
				"sightline.webhooks.poll-interval-ms=50", "sightline.webhooks.timeout-ms=2000" })
class WebhookIT extends ScriptedTaskHarness {

	@Autowired
	private WebhookOutbox outbox;

	static final String SECRET = "webhook-it-secret-0123456789abcdefghij";

	record Received(Map<String, String> headers, String body) {
	}

	static final List<Received> received = new CopyOnWriteArrayList<>();

	/** The receiver answers 500 this many times before it answers 204. */
	static final AtomicInteger failuresLeft = new AtomicInteger();

	static {
		site.createContext("/hook", exchange -> {
			try (InputStream in = exchange.getRequestBody()) {
				Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
				exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
				received.add(new Received(headers, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			}
			exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 500 : 204, -1);
			exchange.close();
		});
	}

	static final AtomicInteger outsideRequests = new AtomicInteger();

	static final HttpServer outside = outside();

	@AfterAll
	static void stopOutside() {
		outside.stop(0);
	}

	@BeforeEach
	void reset() {
		received.clear();
		failuresLeft.set(0);
	}

	String submit(String goal, String webhookJson) throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "%s", "target": {"type": "browser", "url": "%s"}, "maxSteps": 3, "timeoutSeconds": 60,
				 "webhook": %s}""".formatted(goal, siteUrl("/"), webhookJson));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return idOf(response);
	}

	List<Received> awaitReceived(int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (received.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(received).hasSizeGreaterThanOrEqualTo(count);
		return received;
	}

	@Test
	void postsTheFinishedTaskSignedWithTheTenantsSecret() throws Exception {
		model.enqueue(Reply.toolCall(SUCCESS));
		String id = submit("Finish and call back", "{\"url\": \"" + siteUrl("/hook") + "\", \"events\": [\"finished\"]}");
		awaitEnd(id);

		Received hook = awaitReceived(1).get(0);

		assertThat(hook.body()).startsWith("{\"id\":\"" + id + "\"").contains("\"status\":\"succeeded\"");
		long timestamp = Long.parseLong(hook.headers().get(WebhookSigner.TIMESTAMP));
		assertThat(hook.headers().get(WebhookSigner.SIGNATURE))
			.isEqualTo(WebhookSigner.sign(SECRET, timestamp, hook.body().getBytes(StandardCharsets.UTF_8)))
			.isNotEqualTo(WebhookSigner.sign("another-secret-0123456789abcdefghijkl", timestamp,
					hook.body().getBytes(StandardCharsets.UTF_8)));
		assertThat(hook.headers().get(WebhookSigner.EVENT)).isEqualTo("finished");
		assertThat(hook.headers().get(WebhookSigner.EVENT_ID)).startsWith(id + ":");
		Thread.sleep(300);
		assertThat(received).as("delivered once").hasSize(1);
		String log = get("/api/v1/tasks/" + id + "/deliveries").body();
		assertThat(log).contains("\"event\":\"finished\"").contains("\"state\":\"delivered\"")
			.contains("\"httpStatus\":204");
	}

	@Test
	void retriesWithBackOffUntilTheReceiverAcceptsWithOneEventId() throws Exception {
		failuresLeft.set(2);
		model.enqueue(Reply.toolCall(SUCCESS));
		String id = submit("Finish and call a flaky receiver", "{\"url\": \"" + siteUrl("/hook") + "\"}");
		awaitEnd(id);

		List<Received> hooks = awaitReceived(3);
		Thread.sleep(300);

		assertThat(hooks).hasSize(3);
		assertThat(hooks).extracting(hook -> hook.headers().get(WebhookSigner.EVENT_ID)).containsOnly(
				hooks.get(0).headers().get(WebhookSigner.EVENT_ID));
		String log = get("/api/v1/tasks/" + id + "/deliveries").body();
		assertThat(log).contains("\"state\":\"delivered\"").contains("\"error\":\"answered HTTP 500\"")
			.contains("\"n\":3");
	}

	@Test
	void sendsOnlyTheEventsAskedFor() throws Exception {
		model.enqueue(Reply.toolCall(SUCCESS));
		String id = submit("Finish quietly",
				"{\"url\": \"" + siteUrl("/hook") + "\", \"events\": [\"awaiting_approval\"]}");
		awaitEnd(id);
		Thread.sleep(500);

		assertThat(received).isEmpty();
		assertThat(get("/api/v1/tasks/" + id + "/deliveries").body()).isEqualTo("[]");
	}

	@Test
	void refusesAReceiverTheNetworkPolicyDoesNotAllow() throws Exception {
		String url = "http://127.0.0.1:" + outside.getAddress().getPort() + "/hook";
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "Call a private address", "target": {"type": "browser", "url": "%s"},
				 "webhook": {"url": "%s"}}""".formatted(siteUrl("/"), url));
		HttpResponse<String> badEvent = post("/api/v1/tasks", """
				{"goal": "Go", "target": {"type": "browser", "url": "%s"},
				 "webhook": {"url": "%s", "events": ["started"]}}""".formatted(siteUrl("/"), siteUrl("/hook")));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("webhook.url 'http://127.0.0.1:" + outside.getAddress().getPort())
			.contains("is not allowed by the network policy");
		assertThat(badEvent.statusCode()).isEqualTo(400);
		assertThat(badEvent.body()).contains("webhook.events entries must be finished or awaiting_approval");
		Thread.sleep(500);
		assertThat(outsideRequests.get()).isZero();
	}

	@Test
	void anotherTenantsDeliveriesAreNotFound() throws Exception {
		String id = UUID.randomUUID().toString();
		store.create(new Task(id, "other-tenant", TaskStatus.SUCCEEDED,
				new TaskSpec("Go", new TaskTarget.Browser(siteUrl("/"), null, null), 2, 60, 0, null, List.of(),
						List.of(), null, null),
				Instant.now(), null, null, 0, null, 0));
		Instant now = Instant.now();
		outbox.enqueue(new WebhookOutbox.Delivery(id + ":1", id, "other-tenant", "finished",
				"http://127.0.0.1:1/secret-path", WebhookOutbox.PENDING, 0, now, now));

		HttpResponse<String> response = get("/api/v1/tasks/" + id + "/deliveries");

		// The same answer as for a task that does not exist: nothing of the other tenant's receiver shows.
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("no task '" + id + "'").doesNotContain("secret-path");
	}

	private static HttpServer outside() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", exchange -> {
				outsideRequests.incrementAndGet();
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

}
