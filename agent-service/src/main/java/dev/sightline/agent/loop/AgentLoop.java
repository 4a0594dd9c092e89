package dev.sightline.agent.loop;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.approval.ActionContext;
import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.approval.ApprovalGate;
import dev.sightline.agent.approval.LocalApprovalGate;
import dev.sightline.agent.approval.ApprovalRules;
import dev.sightline.agent.approval.PageProbe;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.events.TaskEvent;
import dev.sightline.agent.events.TaskEvents;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.result.EndOfTask;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.security.UnreadableSecretsException;
import dev.sightline.agent.store.TaskStore;
import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StepTimings;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.model.ModelCallException;
import dev.sightline.tools.model.ModelImage;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/** Runs one task from queued to a final status, recording every step and publishing its events. */
public class AgentLoop {

	private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	/** Ends the loop with a final status. */
	private static final class Stop extends Exception {

		final TaskStatus status;

		Stop(TaskStatus status, String message) {
			super(message, null, false, false);
			this.status = status;
		}

	}

	/** The process is shutting down: leave the task running so the next start re-queues it. */
	private static final class Shutdown extends Exception {

		Shutdown() {
			super("shutdown", null, false, false);
		}

	}

	private final TaskStore store;

	private final TaskEvents events;

	private final ModelBackend models;

	private final TargetOpener targets;

	private final SecretVault secrets;

	private final CancelSignals cancels;

	private final AgentSettings settings;

	private final LoopMetrics metrics;

	private final JsonMapper json;

	private final Semaphore modelSlots;

	private final ExecutorService modelThreads = Executors.newVirtualThreadPerTaskExecutor();

	private final ApprovalRules approvalRules;

	private final ApprovalGate approvals;

	private final double framesBetweenStepsFps;

	private final SecretHandOff handOff;

	private EndOfTask endOfTask = EndOfTask.NONE;

	private TaskFileHandler files = TaskFileHandler.NONE;

	/** A loop without approval rules: no action ever waits. */
	public AgentLoop(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, AgentSettings settings, LoopMetrics metrics, JsonMapper json) {
		this(store, events, models, targets, secrets, cancels, settings, metrics, json, ApprovalRules.NONE,
				new LocalApprovalGate());
	}

	public AgentLoop(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, AgentSettings settings, LoopMetrics metrics, JsonMapper json,
			ApprovalRules approvalRules, ApprovalGate approvals) {
		this(store, events, models, targets, secrets, cancels, settings, metrics, json, approvalRules, approvals, 0);
	}

	/**
	 * @param framesBetweenStepsFps rate of extra screenshots sampled while a task waits between its steps, for its
	 * recording; 0 for none
	 */
	public AgentLoop(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, AgentSettings settings, LoopMetrics metrics, JsonMapper json,
			ApprovalRules approvalRules, ApprovalGate approvals, double framesBetweenStepsFps) {
		this(store, events, models, targets, secrets, cancels, settings, metrics, json, approvalRules, approvals,
				framesBetweenStepsFps, SecretHandOff.inProcess());
	}

	/** @param handOff where a task accepted by another process (or replica) left its secrets for this one */
	public AgentLoop(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, AgentSettings settings, LoopMetrics metrics, JsonMapper json,
			ApprovalRules approvalRules, ApprovalGate approvals, double framesBetweenStepsFps, SecretHandOff handOff) {
		this.handOff = handOff;
		this.framesBetweenStepsFps = framesBetweenStepsFps;
		this.approvalRules = approvalRules;
		this.approvals = approvals;
		this.store = store;
		this.events = events;
		this.models = models;
		this.targets = targets;
		this.secrets = secrets;
		this.cancels = cancels;
		this.settings = settings;
		this.metrics = metrics;
		this.json = json;
		this.modelSlots = new Semaphore(settings.modelConcurrency());
	}

	/** Where the task's downloads are kept; nowhere by default. */
	public void files(TaskFileHandler value) {
		this.files = value;
	}

	/** Work between the last step and the final status (the structured result); none by default. */
	public void endOfTask(EndOfTask value) {
		this.endOfTask = value;
	}

	/** The queue's runner: takes a task id, runs it to its end. */
	public void run(String taskId) {
		Task task = store.find(taskId).orElse(null);
		if (task == null || task.status() != TaskStatus.QUEUED) {
			return;
		}
		MDC.put("taskId", taskId);
		CompletableFuture<Void> cancel = cancels.register(taskId);
		try {
			if (!task.spec().secretNames().isEmpty() && !secrets.holds(taskId)) {
				// Accepted by another replica, or restarted here after its worker died: take them from the hand-off.
				try {
					handOff.fetch(taskId).ifPresent(values -> secrets.put(taskId, values));
				}
				catch (UnreadableSecretsException e) {
					finish(task, TaskStatus.FAILED, e.getMessage());
					return;
				}
				if (!secrets.holds(taskId)) {
					finish(task, TaskStatus.FAILED, handOff.whyMissing());
					return;
				}
			}
			if (!store.markStarted(taskId, Instant.now())) {
				return;
			}
			events.publish(new TaskEvent.TaskStarted(taskId));
			metrics.started();
			log.info("task {} started", taskId);
			long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(task.spec().timeoutSeconds());
			try {
				Stop stop = steps(task, cancel, deadlineNanos);
				EndOfTask.Ending ending = endOfTask.beforeFinish(task, stop.status, stop.getMessage());
				finish(task, ending.status(), ending.message());
			}
			catch (Shutdown e) {
				log.info("task {} left running for the next start to re-queue", taskId);
			}
			catch (RuntimeException e) {
				log.warn("task {} failed", taskId, e);
				finish(task, TaskStatus.FAILED, secrets.redact(taskId, describe(e)));
			}
		}
		finally {
			cancels.remove(taskId);
			files.release(taskId);
			MDC.remove("taskId");
		}
	}

	private Stop steps(Task task, CompletableFuture<Void> cancel, long deadlineNanos) throws Shutdown {
		TaskSpec spec = task.spec();
		String id = task.id();
		VisionLanguageModel model = models.model();
		ModelProfile profile = models.profile();
		PixelBudget budget = model.pixelBudget();
		GenerationOptions options = GenerationOptions.GREEDY.withTemperature(spec.temperature())
			.withMaxNewTokens(spec.maxNewTokens() == null ? 256 : spec.maxNewTokens());
		List<String> history = new ArrayList<>();
		Deque<byte[]> recent = new ArrayDeque<>();
		byte[] beforeLastAction = null;
		boolean[] secretTyped = { false };
		try (Executor executor = targets.open(task)) {
			FrameSampler sampler = new FrameSampler(store, id, executor, framesBetweenStepsFps, () -> secretTyped[0]);
			for (int n = 1; n <= spec.maxSteps(); n++) {
				check(cancel, deadlineNanos, spec);
				Instant startedAt = Instant.now();
				events.publish(new TaskEvent.StepStarted(id, n));
				long t0 = System.nanoTime();
				Screenshot shot = executor.screenshot();
				if (secretTyped[0]) {
					// Only once a secret was typed is there a field to mask (and a page round trip to pay for it).
					shot = executor.maskSecrets(shot);
				}
				long t1 = System.nanoTime();
				sampler.stepCaptured(n);
				// Verify-after-act: an identical screenshot means the last action changed nothing visible.
				boolean unchanged = settings.verifyAfterAct() && beforeLastAction != null
						&& Arrays.equals(beforeLastAction, shot.png());
				if (unchanged) {
					history.add("(the screen did not change after step " + (n - 1) + ")");
				}
				CoordinateMapping mapping = shot.mapping(budget);
				byte[] modelPng = ModelImage.resizedPng(shot.png(), shot.size(), mapping.model());
				recent.addLast(modelPng);
				while (recent.size() > settings.screenshotsInPrompt()) {
					recent.removeFirst();
				}
				long t2 = System.nanoTime();
				Conversation conversation = PromptBuilder.build(profile, spec.goal(), spec.target(), mapping.model(),
						history.subList(Math.max(0, history.size() - settings.historySteps()), history.size()),
						List.copyOf(recent));
				long t3 = System.nanoTime();
				double modelMs = 0;
				double parseMs = 0;
				int promptTokens = 0;
				int completionTokens = 0;
				String raw = "";
				List<Action> actions = null;
				String parseProblem = "";
				for (int attempt = 0; attempt <= settings.reasks() && actions == null; attempt++) {
					long m0 = System.nanoTime();
					Generation generation = generate(model, conversation, options, cancel, deadlineNanos, spec,
							sampler);
					long m1 = System.nanoTime();
					modelMs += (m1 - m0) / 1e6;
					metrics.modelTokens(generation.promptTokens(), generation.completionTokens());
					promptTokens += generation.promptTokens();
					completionTokens += generation.completionTokens();
					raw = secrets.redact(id, generation.text());
					events.publish(new TaskEvent.ModelAnswered(id, n, raw, (m1 - m0) / 1e6, attempt,
							generation.promptTokens(), generation.completionTokens()));
					try {
						// Acted on with whole values turned into placeholders only: a fragment-redacted answer would turn a
						// word that shares 4 letters with a secret into {{name}}, and type the secret where it was not meant.
						actions = profile.parseActions(secrets.redactWhole(id, generation.text()), mapping.model());
					}
					catch (UnparseableOutputException e) {
						parseProblem = e.getMessage();
						conversation = PromptBuilder.reask(profile, conversation, raw, parseProblem);
					}
					parseMs += (System.nanoTime() - m1) / 1e6;
				}
				if (actions == null) {
					StepTimings timings = new StepTimings(ms(t0, t1), ms(t1, t2), ms(t2, t3), modelMs, parseMs, 0, 0);
					recordStep(new Step(id, n, startedAt, raw, null, null, timings, "unparseable: " + parseProblem,
							shot.png().length, promptTokens, completionTokens), shot.png());
					return new Stop(TaskStatus.FAILED, "the model's answer could not be parsed after "
							+ (settings.reasks() + 1) + " attempts: " + parseProblem);
				}
				long e0 = System.nanoTime();
				List<String> performed = new ArrayList<>();
				Map<String, Object> firstAction = null;
				Step.Coordinates firstCoordinates = null;
				Stop stop = null;
				long approvalWaitNanos = 0;
				for (Action action : actions) {
					// What is published, stored and put in the history: fragments of secrets redacted too.
					Map<String, Object> actionJson = redacted(id, actionJson(action));
					Step.Coordinates coordinates = coordinates(action, mapping, shot);
					if (firstAction == null) {
						firstAction = actionJson;
						firstCoordinates = coordinates;
					}
					events.publish(new TaskEvent.ActionMapped(id, n, actionJson, coordinates));
					history.add(profile.historyEntry(n, action, mapping.model()));
					if (action instanceof Terminate terminate) {
						stop = terminate.status() == Terminate.Status.SUCCESS
								? new Stop(TaskStatus.SUCCEEDED, "the model reported success")
								: new Stop(TaskStatus.FAILED, "the model gave up (terminate with status failure)");
						performed.add("terminate " + terminate.status().wireName());
						break;
					}
					if (action instanceof Answer answer) {
						stop = new Stop(TaskStatus.SUCCEEDED, secrets.redact(id, answer.text()));
						performed.add("answer");
						break;
					}
					check(cancel, deadlineNanos, spec);
					Action executable = reveal(id, action);
					if (executable != action) {
						String refused = SecretOrigins.refusal(spec, executor.pageUrl());
						if (refused != null) {
							// A step error, not a task failure: the model sees it and may navigate back.
							performed.add("not run: " + refused);
							history.add("(step " + n + ": " + refused + ")");
							break;
						}
					}
					if (!approvalRules.isEmpty()) {
						long w0 = System.nanoTime();
						try {
							approve(id, n, actionJson, executable, executor, mapping, cancel, deadlineNanos, spec);
						}
						catch (Stop notApproved) {
							// Recorded with the step, so its screenshot and answer show what was refused.
							stop = notApproved;
							performed.add("not run: " + notApproved.getMessage());
							break;
						}
						finally {
							approvalWaitNanos += System.nanoTime() - w0;
						}
					}
					ActionOutcome outcome = executor.execute(executable, mapping);
					files.keep(id, outcome.downloads());
					if (executable != action) {
						executor.secretTyped();
						secretTyped[0] = true;
					}
					performed.add(secrets.redact(id, outcome.performed()));
				}
				long e1 = System.nanoTime();
				String outcomeText = (unchanged ? "screen unchanged after the previous action; " : "")
						+ String.join("; ", performed);
				beforeLastAction = shot.png();
				long r0 = System.nanoTime();
				// Time a person took to approve is not the loop's cost.
				StepTimings partial = new StepTimings(ms(t0, t1), ms(t1, t2), ms(t2, t3), modelMs, parseMs,
						ms(e0, e1 - approvalWaitNanos), 0);
				recordStep(new Step(id, n, startedAt, raw, firstAction, firstCoordinates, partial, outcomeText,
						shot.png().length, promptTokens, completionTokens), shot.png());
				StepTimings timings = new StepTimings(partial.screenshotMs(), partial.preprocessMs(),
						partial.promptMs(), modelMs, parseMs, partial.executeMs(), ms(r0, System.nanoTime()));
				metrics.step(timings);
				events.publish(new TaskEvent.StepFinished(id, n, outcomeText, timings, promptTokens, completionTokens));
				if (stop != null) {
					return stop;
				}
				settle(sampler);
			}
			return new Stop(TaskStatus.FAILED,
					"reached maxSteps (" + spec.maxSteps() + ") without the model terminating");
		}
		catch (Stop stop) {
			return stop;
		}
	}

	/** How often an action is put to a person again when the page keeps changing under it. */
	private static final int MAX_APPROVAL_ASKS = 3;

	/**
	 * Classifies the action just before it runs and, when a rule matches, waits for a person. After the wait the
	 * target is probed again: the page may have changed while the person looked (a swapped button, a moved form). The
	 * same answer lets the action run; a different one is judged afresh (asked again when a rule matches), and a page
	 * that keeps changing is refused.
	 */
	private void approve(String id, int n, Map<String, Object> actionJson, Action action, Executor executor,
			CoordinateMapping mapping, CompletableFuture<Void> cancel, long deadlineNanos, TaskSpec spec)
			throws Stop, Shutdown {
		ActionContext context = PageProbe.probe(executor, action, mapping);
		var reason = approvalRules.match(action, context);
		for (int asks = 0; reason.isPresent(); asks++) {
			if (asks == MAX_APPROVAL_ASKS) {
				throw new Stop(TaskStatus.FAILED, "step " + n + " was approved " + asks
						+ " times but the page changed under it each time; refused");
			}
			awaitApproval(id, n, actionJson, secrets.redact(id, reason.get()), cancel, deadlineNanos, spec);
			ActionContext now = PageProbe.probe(executor, action, mapping);
			if (now.equals(context)) {
				return;
			}
			log.info("task {} step {}: the page changed while awaiting approval ({} -> {}); judging again", id, n,
					secrets.redact(id, context.toString()), secrets.redact(id, now.toString()));
			context = now;
			reason = approvalRules.match(action, now);
		}
	}

	private void recordStep(Step step, byte[] png) {
		store.saveStep(step, png);
	}

	/**
	 * Pauses the task as awaiting approval until a person decides, the task is cancelled or its deadline passes (the
	 * wait counts against timeoutSeconds). Returns when approved; every other outcome ends the task.
	 */
	private void awaitApproval(String id, int n, Map<String, Object> actionJson, String reason,
			CompletableFuture<Void> cancel, long deadlineNanos, TaskSpec spec) throws Stop, Shutdown {
		CompletableFuture<ApprovalDecision> gate = approvals.open(id, reason);
		try {
			boolean paused;
			try {
				paused = store.changeStatus(id, TaskStatus.RUNNING, TaskStatus.AWAITING_APPROVAL);
			}
			catch (UnsupportedOperationException e) {
				throw new Stop(TaskStatus.FAILED, "step " + n + " needs approval (" + reason + ") but " + e.getMessage());
			}
			if (!paused) {
				check(cancel, deadlineNanos, spec);
				throw new Stop(TaskStatus.FAILED, "step " + n + " needs approval but the task was no longer running");
			}
			events.publish(new TaskEvent.ApprovalRequested(id, n, actionJson, reason));
			log.info("task {} awaits approval of step {}: {}", id, n, reason);
			CompletableFuture.anyOf(gate, cancel).get(Math.max(1, deadlineNanos - System.nanoTime()),
					TimeUnit.NANOSECONDS);
			if (!gate.isDone()) {
				throw new Stop(TaskStatus.CANCELLED, "cancelled while awaiting approval of step " + n);
			}
			ApprovalDecision decision = gate.join();
			events.publish(new TaskEvent.ApprovalDecided(id, n, decision.approved(), decision.comment()));
			if (!decision.approved()) {
				throw new Stop(TaskStatus.FAILED, "rejected by a person: step " + n + " would " + actionJson.get("action")
						+ " (" + reason + ")" + (decision.comment() == null ? "" : "; comment: " + decision.comment()));
			}
			store.changeStatus(id, TaskStatus.AWAITING_APPROVAL, TaskStatus.RUNNING);
			log.info("task {} step {} approved", id, n);
		}
		catch (TimeoutException e) {
			throw new Stop(TaskStatus.TIMED_OUT, "timed out after " + spec.timeoutSeconds()
					+ " s (timeoutSeconds) while awaiting approval of step " + n);
		}
		catch (InterruptedException e) {
			throw new Shutdown();
		}
		catch (ExecutionException e) {
			throw new IllegalStateException("approval wait failed", e);
		}
		finally {
			approvals.close(id);
		}
	}

	private Generation generate(VisionLanguageModel model, Conversation conversation, GenerationOptions options,
			CompletableFuture<Void> cancel, long deadlineNanos, TaskSpec spec, FrameSampler sampler)
			throws Stop, Shutdown {
		CompletableFuture<Generation> call = CompletableFuture.supplyAsync(() -> {
			modelSlots.acquireUninterruptibly();
			try {
				return model.generate(conversation, options);
			}
			finally {
				modelSlots.release();
			}
		}, modelThreads);
		try {
			CompletableFuture<Object> either = CompletableFuture.anyOf(call, cancel);
			while (true) {
				long remaining = deadlineNanos - System.nanoTime();
				if (remaining <= 0) {
					throw new TimeoutException();
				}
				try {
					// Wakes up for each frame due between steps; the model call runs on regardless.
					either.get(sampler.waitNanos(remaining), TimeUnit.NANOSECONDS);
					break;
				}
				catch (TimeoutException e) {
					sampler.sampleIfDue();
				}
			}
			if (cancel.isDone()) {
				call.cancel(true);
				throw new Stop(TaskStatus.CANCELLED, "cancelled while the model was answering");
			}
			return call.join();
		}
		catch (TimeoutException e) {
			call.cancel(true);
			throw new Stop(TaskStatus.TIMED_OUT,
					"timed out after " + spec.timeoutSeconds() + " s (timeoutSeconds) while the model was answering");
		}
		catch (InterruptedException e) {
			call.cancel(true);
			throw new Shutdown();
		}
		catch (ExecutionException | java.util.concurrent.CompletionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			if (cause instanceof ModelCallException call1) {
				throw call1;
			}
			throw new ModelCallException("the model failed: " + cause, cause);
		}
	}

	private static void check(CompletableFuture<Void> cancel, long deadlineNanos, TaskSpec spec) throws Stop {
		if (cancel.isDone()) {
			throw new Stop(TaskStatus.CANCELLED, "cancelled on request");
		}
		if (System.nanoTime() > deadlineNanos) {
			throw new Stop(TaskStatus.TIMED_OUT, "timed out after " + spec.timeoutSeconds() + " s (timeoutSeconds)");
		}
	}

	private void settle(FrameSampler sampler) throws Shutdown {
		if (settings.settleMs() == 0) {
			return;
		}
		try {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.settleMs());
			for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
				TimeUnit.NANOSECONDS.sleep(sampler.waitNanos(left));
				sampler.sampleIfDue();
			}
		}
		catch (InterruptedException e) {
			throw new Shutdown();
		}
	}

	private Action reveal(String taskId, Action action) {
		if (action instanceof TypeText type && secrets.usesSecret(taskId, type.text())) {
			return new TypeText(secrets.reveal(taskId, type.text()));
		}
		return action;
	}

	private Map<String, Object> redacted(String taskId, Map<String, Object> actionJson) {
		Map<String, Object> out = new LinkedHashMap<>();
		actionJson.forEach((key, value) -> out.put(key, value instanceof String text ? secrets.redact(taskId, text) : value));
		return out;
	}

	Map<String, Object> actionJson(Action action) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("action", action.name());
		map.putAll(json.convertValue(action, MAP));
		return map;
	}

	private static Step.@Nullable Coordinates coordinates(Action action, CoordinateMapping mapping, Screenshot shot) {
		if (action.points().isEmpty()) {
			return null;
		}
		ModelPoint point = action.points().get(0);
		ScreenPoint screen;
		try {
			screen = mapping.toScreen(point);
		}
		catch (RuntimeException e) {
			// Out of the image: the executor refuses it with the reason; record the model point alone.
			screen = new ScreenPoint(-1, -1);
		}
		return new Step.Coordinates(point.xPx(), point.yPx(), mapping.model().widthPx(), mapping.model().heightPx(),
				shot.widthPx(), shot.heightPx(), screen.xPx(), screen.yPx());
	}

	private void finish(Task task, TaskStatus status, @Nullable String message) {
		secrets.forget(task.id());
		boolean finished = store.finish(task.id(), status, message, Instant.now());
		if (!task.spec().secretNames().isEmpty()) {
			// Also when another replica ended it first (a cancel): the task never runs again, so no one needs them.
			try {
				handOff.delete(task.id());
			}
			catch (RuntimeException e) {
				log.warn("task {} ended, but its handed-off secrets stay (encrypted) until their TTL: {}", task.id(),
						e.toString());
			}
		}
		if (finished) {
			metrics.finished(status);
			events.publish(new TaskEvent.TaskFinished(task.id(), status, message));
			log.info("task {} {}: {}", task.id(), status.wireName(), message);
		}
	}

	private static double ms(long fromNanos, long toNanos) {
		return (toNanos - fromNanos) / 1e6;
	}

	private static String describe(Throwable e) {
		String message = e.getMessage();
		return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
	}

}
