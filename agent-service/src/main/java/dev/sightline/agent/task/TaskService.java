package dev.sightline.agent.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.approval.ApprovalGate;
import dev.sightline.agent.approval.LocalApprovalGate;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.config.DesktopSettings;
import dev.sightline.agent.config.SecuritySettings;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.queue.QueueFullException;
import dev.sightline.agent.queue.TaskQueue;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretInput;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.security.Totp;

/** Creates, reads and cancels tasks for a tenant; never shows one tenant another's tasks. */
public class TaskService {

	private static final Logger log = LoggerFactory.getLogger(TaskService.class);

	/** Largest page of {@code GET /tasks}. */
	public static final int MAX_PAGE_SIZE = 100;

	/**
	 * Handed-off secrets live for the task's timeout plus this: room for waiting in the queue and for restarts after
	 * a worker crash. A task that starts later fails with a message instead of running without them.
	 */
	public static final Duration SECRETS_QUEUE_ALLOWANCE = Duration.ofHours(24);

	private final TaskStore store;

	private final TaskQueue queue;

	private final TaskEvents events;

	private final SecretVault secrets;

	private final CancelSignals cancels;

	private final ModelBackend model;

	private final AgentSettings agent;

	private final BrowserSettings browser;

	private final SecuritySettings security;

	private final ApprovalGate approvals;

	private final SecretHandOff handOff;

	private final DesktopSettings desktop;

	private final TaskLifecycle lifecycle;

	private final List<SubmitCheck> checks;

	public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets, CancelSignals cancels,
			ModelBackend model, AgentSettings agent, BrowserSettings browser, SecuritySettings security) {
		this(store, queue, events, secrets, cancels, model, agent, browser, security, new LocalApprovalGate());
	}

	public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets, CancelSignals cancels,
			ModelBackend model, AgentSettings agent, BrowserSettings browser, SecuritySettings security,
			ApprovalGate approvals) {
		this(store, queue, events, secrets, cancels, model, agent, browser, security, approvals,
				SecretHandOff.inProcess());
	}

	/** @param handOff carries secrets to the replica that runs the task, when that may be another one */
	public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets, CancelSignals cancels,
			ModelBackend model, AgentSettings agent, BrowserSettings browser, SecuritySettings security,
			ApprovalGate approvals, SecretHandOff handOff) {
		this(store, queue, events, secrets, cancels, model, agent, browser, security, approvals, handOff,
				DesktopSettings.defaults());
	}

	/** @param desktop whether desktop tasks are accepted, and which existing displays they may name */
	public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets, CancelSignals cancels,
			ModelBackend model, AgentSettings agent, BrowserSettings browser, SecuritySettings security,
			ApprovalGate approvals, SecretHandOff handOff, DesktopSettings desktop) {
		this(store, queue, events, secrets, cancels, model, agent, browser, security, approvals, handOff, desktop,
				List.of());
	}

	/** @param checks what every request passes before anything is stored, besides this service's own checks */
	public TaskService(TaskStore store, TaskQueue queue, TaskEvents events, SecretVault secrets, CancelSignals cancels,
			ModelBackend model, AgentSettings agent, BrowserSettings browser, SecuritySettings security,
			ApprovalGate approvals, SecretHandOff handOff, DesktopSettings desktop, List<SubmitCheck> checks) {
		this.checks = List.copyOf(checks);
		this.desktop = desktop;
		this.handOff = handOff;
		this.approvals = approvals;
		this.store = store;
		this.queue = queue;
		this.events = events;
		this.secrets = secrets;
		this.cancels = cancels;
		this.model = model;
		this.agent = agent;
		this.browser = browser;
		this.security = security;
		this.lifecycle = new TaskLifecycle(store, events, secrets, handOff);
	}

	public Task submit(String tenant, TaskRequest request) {
		return submit(tenant, request, UUID.randomUUID().toString());
	}

	/** @param id the new task's id, chosen by the caller (an Idempotency-Key claims it before the task exists) */
	public Task submit(String tenant, TaskRequest request, String id) {
		// What is wrong with the request itself is refused before what is wrong with the server (a model not ready):
		// a display the tenant may never use first, then the start URL and the device pixels, then the model.
		if (request.target() instanceof TaskTarget.Desktop target) {
			String refused = desktop.refusal(tenant, target.display());
			if (refused != null) {
				throw new TaskException.NotPermitted(refused);
			}
		}
		Map<String, SecretInput> secretInputs = request.secrets() == null ? Map.of() : request.secrets();
		checkPlaceholders(request.goal(), secretInputs);
		Map<String, String> secretValues = carried(secretInputs);
		List<String> allowedHosts = request.allowedHosts() == null ? List.of() : request.allowedHosts();
		HostRules.checkNarrows(allowedHosts, browser.allowedHosts());
		if (request.target() instanceof TaskTarget.Browser target) {
			HostRules.checkStartUrl(target.url(),
					HostRules.policyFor(browser.allowedHosts(), browser.deniedHosts(), allowedHosts));
			checkDevicePixels(target);
		}
		for (SubmitCheck check : checks) {
			check.check(tenant, request);
		}
		model.requireReady();
		Optional<String> noHandOff = secretValues.isEmpty() ? Optional.empty() : handOff.unavailable();
		if (noHandOff.isPresent()) {
			// Before anything is written: a task another replica could not run must not be queued at all.
			throw new TaskException.Unavailable(noHandOff.get());
		}
		int active = store.countActive(tenant);
		if (active >= security.maxActiveTasks()) {
			throw new TaskException.LimitReached("tenant '" + tenant + "' has " + active
					+ " active tasks, the limit of sightline.security.max-active-tasks (" + security.maxActiveTasks()
					+ "); wait for one to finish or cancel one", 5);
		}
		TaskSpec spec = new TaskSpec(request.goal(), request.target(),
				request.maxSteps() == null ? agent.defaultMaxSteps() : request.maxSteps(),
				request.timeoutSeconds() == null ? agent.defaultTimeoutSeconds() : request.timeoutSeconds(),
				request.model() == null || request.model().temperature() == null ? 0 : request.model().temperature(),
				request.model() == null ? null : request.model().maxNewTokens(), List.copyOf(secretValues.keySet()),
				allowedHosts, request.output(), request.webhook());
		Task task = new Task(id, tenant, TaskStatus.QUEUED, spec, Instant.now(), null, null,
				0, null, 0);
		store.create(task);
		if (handOff.runsWhereAccepted()) {
			secrets.put(task.id(), secretValues);
		}
		if (!secretValues.isEmpty()) {
			publishSecrets(task, secretValues);
		}
		// Published before the queue can hand the task to a worker, so "queued" always precedes "started".
		events.publish(new TaskEvent.TaskQueued(task.id()));
		try {
			queue.submit(task.id());
		}
		catch (QueueFullException e) {
			lifecycle.withdraw(task);
			throw new TaskException.LimitReached(e.getMessage(), 5);
		}
		log.info("task {} queued for tenant {}", task.id(), tenant);
		return task;
	}

	/** Hands the secrets over before the task is queued, so whichever worker takes it finds them; else undoes it. */
	private void publishSecrets(Task task, Map<String, String> secretValues) {
		try {
			handOff.publish(task.id(), secretValues,
					Duration.ofSeconds(task.spec().timeoutSeconds()).plus(SECRETS_QUEUE_ALLOWANCE));
		}
		catch (RuntimeException e) {
			secrets.forget(task.id());
			try {
				store.delete(task.id());
			}
			catch (RuntimeException undo) {
				e.addSuppressed(undo);
			}
			throw e;
		}
	}

	/** Screenshots are viewport × DPR² device pixels; past the cap they cost memory and model time for nothing. */
	private void checkDevicePixels(TaskTarget.Browser target) {
		int width = target.viewport() == null ? browser.defaultViewportWidth() : target.viewport().width();
		int height = target.viewport() == null ? browser.defaultViewportHeight() : target.viewport().height();
		double dpr = target.dpr() == null ? 1 : target.dpr();
		double devicePixels = width * dpr * height * dpr;
		if (devicePixels > TaskTarget.Browser.MAX_DEVICE_PIXELS) {
			throw new TaskException.Invalid(String.format(Locale.ROOT,
					"target viewport %dx%d CSS px at dpr %.2f is %.1f MP of device pixels, more than the limit of "
							+ "%.1f MP (%d); use a smaller viewport or dpr",
					width, height, dpr, devicePixels / 1e6, TaskTarget.Browser.MAX_DEVICE_PIXELS / 1e6,
					TaskTarget.Browser.MAX_DEVICE_PIXELS));
		}
	}

	private static void checkPlaceholders(String goal, Map<String, SecretInput> secretValues) {
		Matcher matcher = SecretVault.PLACEHOLDER.matcher(goal);
		while (matcher.find()) {
			if (!secretValues.containsKey(matcher.group(1))) {
				throw new TaskException.Invalid("goal refers to secret '{{" + matcher.group(1)
						+ "}}' but secrets has no entry '" + matcher.group(1) + "'");
			}
		}
		for (Map.Entry<String, SecretInput> secret : secretValues.entrySet()) {
			if (goal.contains(secret.getValue().sensitive())) {
				throw new TaskException.Invalid("goal contains the value of secret '" + secret.getKey()
						+ "'; refer to it as {{" + secret.getKey() + "}} so the model never sees it");
			}
		}
	}

	/** What the vault and the hand-off carry of each secret; a TOTP seed that is not whole Base32 is refused. */
	private static Map<String, String> carried(Map<String, SecretInput> inputs) {
		Map<String, String> carried = new LinkedHashMap<>();
		inputs.forEach((name, input) -> {
			if (input instanceof SecretInput.Plain plain && plain.value().startsWith(Totp.URI_PREFIX)) {
				throw new TaskException.Invalid("secret '" + name + "' is an otpauth:// URI; give a "
						+ "one-time code's seed as {\"totp\": \"BASE32SEED\"} so the code of the moment is typed");
			}
			try {
				carried.put(name, input.carried());
			}
			catch (IllegalArgumentException e) {
				throw new TaskException.Invalid("secret '" + name + "': " + e.getMessage());
			}
		});
		return carried;
	}

	public Task get(String tenant, String id) {
		return store.find(tenant, id).orElseThrow(() -> TaskException.NotFound.task(id));
	}

	public TaskStore.TaskPage list(String tenant, @Nullable TaskStatus status, int page, int size) {
		if (page < 0) {
			throw new TaskException.Invalid("page must be >= 0, got " + page);
		}
		if (size < 1 || size > MAX_PAGE_SIZE) {
			throw new TaskException.Invalid("size must be within [1, " + MAX_PAGE_SIZE + "], got " + size);
		}
		return store.list(tenant, status, page, size);
	}

	public Task cancel(String tenant, String id) {
		Task task = get(tenant, id);
		if (task.status().isFinal()) {
			throw new TaskException.Conflict("task '" + id + "' already ended as " + task.status().wireName() + "; nothing to cancel");
		}
		if (!cancels.cancel(id)) {
			// Not running here: still queued, so it ends now and the worker skips it.
			lifecycle.finish(task, TaskStatus.CANCELLED, "cancelled before it started");
		}
		return get(tenant, id);
	}

	/**
	 * A person's decision on the action a task waits for: approved, it runs and the task goes on; rejected, the task
	 * fails. Any replica may decide (in Redis mode the gate lives in Redis). 409 when the task is not awaiting approval
	 * or someone decided first.
	 */
	public Task decide(String tenant, String id, ApprovalDecision decision) {
		Task task = get(tenant, id);
		if (task.status() != TaskStatus.AWAITING_APPROVAL) {
			throw new TaskException.Conflict("task '" + id + "' is " + task.status().wireName()
					+ ", not awaiting_approval; there is nothing to " + (decision.approved() ? "approve" : "reject"));
		}
		if (!approvals.decide(id, decision)) {
			throw new TaskException.Conflict("task '" + id
					+ "' is no longer waiting for a decision (someone decided first, or it just ended); reload it");
		}
		log.info("task {} {} by tenant {}", id, decision.approved() ? "approved" : "rejected", tenant);
		return get(tenant, id);
	}

	/** Why a task of the tenant waits for approval, while it waits. */
	public Optional<String> approvalReason(String tenant, String id) {
		get(tenant, id);
		return approvals.reason(id);
	}

	public List<Step> steps(String tenant, String id) {
		get(tenant, id);
		return store.steps(id);
	}

	public Optional<byte[]> screenshot(String tenant, String id, int n) {
		get(tenant, id);
		return store.screenshot(id, n);
	}

	/** Names of the secrets a task was given, for views; never their values. */
	public static List<String> secretNames(Task task) {
		return new ArrayList<>(task.spec().secretNames());
	}

}
