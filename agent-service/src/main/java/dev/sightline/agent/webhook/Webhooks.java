package dev.sightline.agent.webhook;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.WebhookRequest;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.result.TaskResults;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.HostRules;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.task.TaskView;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;
import dev.sightline.net.PinnedHttp;

/**
 * Webhooks from submit to delivery. At submit, {@link #check} refuses a URL the browser's network policy refuses and
 * a tenant without a signing secret. Each {@code finished} or {@code approval_requested} event this process publishes
 * becomes one outbox entry (event id: task id and event id); {@link #deliverDue} sends due entries, each claimed by
 * one dispatcher at a time, POSTing the task view, signed, through {@link PinnedHttp} (the policy checked again and
 * the connection pinned to the checked addresses). A 2xx ends the delivery; anything else is retried with
 * exponential back-off and jitter until {@code retry-for-seconds} after the event, then given up. Delivery is at
 * least once: the receiver de-duplicates on {@code Sightline-Event-Id}.
 */
public class Webhooks {

	private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

	private static final Map<String, String> EVENTS = Map.of("finished", "finished", "approval_requested",
			"awaiting_approval");

	private final WebhookOutbox outbox;

	private final TaskStore store;

	private final TaskResults results;

	private final WebhookSettings settings;

	private final NavigationPolicy policy;

	private final PinnedHttp http;

	private final JsonMapper json;

	public Webhooks(WebhookOutbox outbox, TaskStore store, TaskResults results, WebhookSettings settings,
			BrowserSettings browser, HostResolver resolver, JsonMapper json) {
		this.outbox = outbox;
		this.store = store;
		this.results = results;
		this.settings = settings;
		this.json = json;
		this.policy = HostRules.policyFor(browser.allowedHosts(), browser.deniedHosts(), List.of());
		Duration timeout = Duration.ofMillis(settings.timeoutMs());
		this.http = new PinnedHttp(policy, resolver,
				new PinnedHttp.Limits(timeout, timeout, timeout.multipliedBy(2), 64 * 1024, 0));
	}

	/** Refuses, with the reason, a webhook that could never be delivered. */
	public void check(String tenant, @Nullable WebhookRequest webhook) {
		if (webhook == null) {
			return;
		}
		if (settings.tenant(tenant) == null) {
			throw new TaskException.Invalid("tenant '" + tenant + "' has no webhook signing secret; the "
					+ "operator sets sightline.webhooks.tenants." + tenant + ".secret");
		}
		NavigationPolicy.Decision decision = policy.checkAsWritten(webhook.url());
		if (!decision.allowed()) {
			throw new TaskException.Invalid("webhook.url '" + PinnedHttp.abbreviate(webhook.url())
					+ "' is not allowed by the network policy (sightline.browser.allowed-hosts / denied-hosts): "
					+ decision.reason());
		}
	}

	/** Turns an event just published here into a delivery, when its task or tenant wants it. */
	public void onEvent(StoredEvent event) {
		String wire = EVENTS.get(event.type());
		if (wire == null) {
			return;
		}
		Optional<Task> task = store.find(event.taskId());
		if (task.isEmpty()) {
			return;
		}
		WebhookRequest webhook = task.get().spec().webhook();
		WebhookSettings.Tenant tenant = settings.tenant(task.get().tenant());
		if (webhook == null && tenant != null && tenant.url() != null) {
			webhook = new WebhookRequest(tenant.url(), tenant.events());
		}
		if (webhook == null || !webhook.eventsOrAll().contains(wire)) {
			return;
		}
		Instant now = Instant.now();
		outbox.enqueue(new WebhookOutbox.Delivery(event.taskId() + ":" + event.id(), event.taskId(),
				task.get().tenant(), wire, webhook.url(), WebhookOutbox.PENDING, 0, now, now));
	}

	/** Sends every due delivery once; returns how many were attempted. */
	public int deliverDue() {
		int attempted = 0;
		Duration lease = Duration.ofMillis(settings.timeoutMs() * 3);
		for (Optional<WebhookOutbox.Delivery> due = outbox.claimDue(Instant.now(), lease); due.isPresent();
				due = outbox.claimDue(Instant.now(), lease)) {
			attempt(due.get());
			attempted++;
		}
		return attempted;
	}

	private void attempt(WebhookOutbox.Delivery delivery) {
		int n = delivery.attempts() + 1;
		Instant at = Instant.now();
		long t0 = System.nanoTime();
		Integer status = null;
		String error = null;
		try {
			WebhookSettings.Tenant tenant = settings.tenant(delivery.tenant());
			if (tenant == null) {
				throw new IOException("tenant '" + delivery.tenant() + "' no longer has a webhook secret");
			}
			Task task = store.find(delivery.taskId()).orElseThrow(() -> new IOException("the task was deleted"));
			byte[] body = json.writeValueAsBytes(TaskView.of(task,
					task.spec().output() == null ? null : results.of(task.id()).orElse(null)));
			long timestamp = at.getEpochSecond();
			PinnedHttp.Response response = http.post(delivery.url(),
					Map.of(WebhookSigner.SIGNATURE, WebhookSigner.sign(tenant.secret(), timestamp, body),
							WebhookSigner.TIMESTAMP, Long.toString(timestamp), WebhookSigner.EVENT_ID,
							delivery.eventId(), WebhookSigner.EVENT, delivery.event()),
					body, "application/json");
			status = response.status();
			if (status < 200 || status >= 300) {
				error = "answered HTTP " + status;
			}
		}
		catch (InterruptedIOException e) {
			error = "timed out: " + e.getMessage();
		}
		catch (IOException | RuntimeException e) {
			error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
		}
		long ms = (System.nanoTime() - t0) / 1_000_000;
		WebhookOutbox.Attempt attempt = new WebhookOutbox.Attempt(n, at, status, error, ms);
		if (error == null) {
			outbox.recordAttempt(delivery.eventId(), attempt, WebhookOutbox.DELIVERED, at);
			log.info("webhook {} of task {} delivered on attempt {}", delivery.event(), delivery.taskId(), n);
			return;
		}
		Instant next = Instant.now().plusMillis(backoffMs(n));
		boolean giveUp = next.isAfter(delivery.createdAt().plusSeconds(settings.retryForSeconds()));
		outbox.recordAttempt(delivery.eventId(), attempt, giveUp ? WebhookOutbox.GAVE_UP : WebhookOutbox.PENDING, next);
		log.info("webhook {} of task {} attempt {} failed ({}); {}", delivery.event(), delivery.taskId(), n, error,
				giveUp ? "given up" : "next at " + next);
	}

	/** Exponential back-off with jitter: uniformly within [half, all] of min(max, initial × 2^(n-1)). */
	long backoffMs(int attempt) {
		double ceiling = Math.min(settings.maxBackoffMs(),
				settings.initialBackoffMs() * Math.pow(2, Math.min(attempt - 1, 30)));
		return Math.max(1, (long) (ceiling * ThreadLocalRandom.current().nextDouble(0.5, 1.0)));
	}

	public List<WebhookOutbox.Log> deliveries(String taskId) {
		return outbox.forTask(taskId);
	}

}
