package dev.sightline.agent.loop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.approval.ApprovalGate;
import dev.sightline.agent.approval.ApprovalRules;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.loop.StepClock.Phase;
import dev.sightline.agent.loop.StepOutcome.Finish;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.result.EndOfTask;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.security.UnreadableSecretsException;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StepTimings;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskLifecycle;
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
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.chat.Conversation;

/**
 * Runs one task from queued to a final status, recording every step and publishing its events. Each step is a short
 * story: {@link #observe} the screen, {@link #decide} what to do (ask the model, re-ask an unusable answer), then for
 * each action {@link #approve} it where a rule says so and {@link #act}, and {@link #record} the step. Every phase
 * returns how it ended ({@link StepOutcome}); a task ends through {@link TaskLifecycle}.
 */
public class AgentLoop {

	private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

	/**
	 * What the loop works with.
	 *
	 * @param approvalRules actions that wait for a person ({@link ApprovalRules#NONE}: none)
	 * @param framesBetweenStepsFps rate of extra screenshots sampled while a task waits between its steps, for its
	 * recording; 0 for none
	 * @param handOff where a task accepted by another process (or replica) left its secrets for this one
	 */
	public record Parts(TaskStore store, TaskEvents events, ModelBackend models, TargetOpener targets,
			SecretVault secrets, CancelSignals cancels, TaskLifecycle lifecycle, AgentSettings settings,
			LoopMetrics metrics, JsonMapper json, ApprovalRules approvalRules, ApprovalGate approvals,
			double framesBetweenStepsFps, SecretHandOff handOff) {
	}

	private final Parts parts;

	private final TaskStore store;

	private final TaskEvents events;

	private final SecretVault secrets;

	private final AgentSettings settings;

	private final LoopMetrics metrics;

	private final ModelCalls modelCalls;

	private final ActionApproval approval;

	private EndOfTask endOfTask = EndOfTask.NONE;

	private TaskFileHandler files = TaskFileHandler.NONE;

	/** Where the task's downloads are kept; nowhere by default. */
	public void files(TaskFileHandler value) {
		this.files = value;
	}

	/** Work between the last step and the final status (the structured result); none by default. */
	public void endOfTask(EndOfTask value) {
		this.endOfTask = value;
	}

	public AgentLoop(Parts parts) {
		this.parts = parts;
		this.store = parts.store();
		this.events = parts.events();
		this.secrets = parts.secrets();
		this.settings = parts.settings();
		this.metrics = parts.metrics();
		this.modelCalls = new ModelCalls(settings.modelConcurrency());
		this.approval = new ActionApproval(parts.approvalRules(), parts.approvals(), store, events, secrets);
	}

	/** What a step saw: the screenshot, the model's view of it and the conversation to ask. */
	private record Observation(Instant startedAt, Screenshot shot, ModelView view, Conversation conversation,
			boolean unchanged) {
	}

	/** The model's answer and its actions, or how the task ends instead (no actions). */
	private record Decision(String raw, @Nullable Reply reply, @Nullable List<Action> actions, String problem,
			int promptTokens, int completionTokens, @Nullable StepOutcome end) {
	}

	/** What the step's actions did, and how the step ends. */
	private record Acts(List<String> performed, @Nullable Action firstAction,
			Step.@Nullable Coordinates firstCoordinates, StepOutcome outcome) {
	}

	/** The queue's runner: takes a task id, runs it to its end. */
	public void run(String taskId) {
		Task task = store.find(taskId).orElse(null);
		if (task == null || task.status() != TaskStatus.QUEUED) {
			return;
		}
		MDC.put("taskId", taskId);
		CompletableFuture<Void> cancel = parts.cancels().register(taskId);
		try {
			String missing = takeSecrets(task);
			if (missing != null) {
				finish(task, TaskStatus.FAILED, missing);
				return;
			}
			if (!store.markStarted(taskId, Instant.now())) {
				return;
			}
			events.publish(new TaskEvent.TaskStarted(taskId));
			metrics.started();
			log.info("task {} started", taskId);
			switch (runSteps(task, cancel)) {
				case Finish end -> {
					EndOfTask.Ending ending = endOfTask.beforeFinish(task, end.status(), end.message());
					finish(task, ending.status(), ending.message());
				}
				case StepOutcome.LeftRunning left -> log.info("task {} left running for the next start to re-queue", taskId);
				case StepOutcome.Next next -> throw new IllegalStateException("a task's steps ended without an outcome");
			}
		}
		catch (RuntimeException e) {
			log.warn("task {} failed", taskId, e);
			finish(task, TaskStatus.FAILED, secrets.redact(taskId, describe(e)));
		}
		finally {
			parts.cancels().remove(taskId);
			files.release(taskId);
			MDC.remove("taskId");
		}
	}

	/** Why the task's secrets are not here (accepted by another replica, or restarted); null when they are. */
	private @Nullable String takeSecrets(Task task) {
		if (task.spec().secretNames().isEmpty() || secrets.holds(task.id())) {
			return null;
		}
		try {
			parts.handOff().fetch(task.id()).ifPresent(values -> secrets.put(task.id(), values));
		}
		catch (UnreadableSecretsException e) {
			return e.getMessage();
		}
		return secrets.holds(task.id()) ? null : parts.handOff().whyMissing();
	}

	private StepOutcome runSteps(Task task, CompletableFuture<Void> cancel) {
		// The model first: a task without one fails before a browser or display is opened for it.
		TurnPipeline turns = new TurnPipeline(parts.models().model(), parts.models().profile());
		try (Executor executor = parts.targets().open(task)) {
			TaskRun run = new TaskRun(task, cancel, turns, executor, store, settings, parts.framesBetweenStepsFps());
			for (int n = 1; n <= run.spec.maxSteps(); n++) {
				StepOutcome outcome = step(run, n);
				if (!(outcome instanceof StepOutcome.Next)) {
					return outcome;
				}
			}
			return StepOutcome.finish(TaskStatus.FAILED,
					"reached maxSteps (" + run.spec.maxSteps() + ") without the model terminating");
		}
	}

	/** observe → decide → approve and act → record → settle. */
	private StepOutcome step(TaskRun run, int n) {
		Finish limit = run.limits();
		if (limit != null) {
			return limit;
		}
		StepClock clock = new StepClock();
		Observation seen = observe(run, n, clock);
		Decision decision = decide(run, n, seen, clock);
		if (decision.actions() == null) {
			if (decision.reply() != null) {
				// The answers that stayed unusable are kept with the step; the task ends without a finished step.
				store(run, n, seen, decision, new Acts(List.of(), null, null, decision.end()),
						"unparseable: " + decision.problem(), clock);
			}
			return decision.end();
		}
		Acts acts = actAll(run, n, seen, decision.reply(), decision.actions(), clock);
		if (acts.outcome() instanceof StepOutcome.LeftRunning) {
			return acts.outcome();
		}
		String outcomeText = (seen.unchanged() ? "screen unchanged after the previous action; " : "")
				+ String.join("; ", acts.performed());
		record(run, n, seen, decision, acts, outcomeText, clock);
		return acts.outcome() instanceof StepOutcome.Next ? settle(run) : acts.outcome();
	}

	/** The screenshot (secret fields masked once one was typed), the model's view of it, the conversation to ask. */
	private Observation observe(TaskRun run, int n, StepClock clock) {
		Instant startedAt = Instant.now();
		events.publish(new TaskEvent.StepStarted(run.id, n));
		clock.skip();
		Screenshot shot = run.executor.screenshot();
		if (run.secretTyped) {
			// Only once a secret was typed is there a field to mask (and a page round trip to pay for it).
			shot = run.executor.maskSecrets(shot);
		}
		// Where the target gave raw pixels (a desktop, a masked shot), the recording's PNG is made while the model
		// thinks, not on the step's path.
		shot.encodeInBackground();
		clock.lap(Phase.SCREENSHOT);
		run.sampler.stepCaptured(n);
		// Verify-after-act: an identical screenshot means the last action changed nothing visible.
		boolean unchanged = settings.verifyAfterAct() && shot.samePixels(run.beforeLastAction);
		ModelView view = run.turns.view(shot);
		clock.lap(Phase.PREPROCESS);
		List<String> notes = unchanged ? List.of("(the screen did not change after step " + (n - 1) + ")") : List.of();
		Conversation conversation = run.conversation(view).observe(n, view.image(), notes);
		clock.lap(Phase.PROMPT);
		return new Observation(startedAt, shot, view, conversation, unchanged);
	}

	/**
	 * Asks the model and parses its answer, re-asking an unusable one up to {@code sightline.agent.reasks} times; the
	 * answer (secret fragments redacted) joins the conversation either way.
	 */
	private Decision decide(TaskRun run, int n, Observation seen, StepClock clock) {
		AgentConversation conversation = run.conversation(seen.view());
		Conversation question = seen.conversation();
		int promptTokens = 0;
		int completionTokens = 0;
		String raw = "";
		Reply reply = null;
		String problem = "";
		for (int attempt = 0; attempt <= settings.reasks(); attempt++) {
			ModelCalls.Asked asked = modelCalls.ask(run, question, seen.view());
			clock.lap(Phase.MODEL);
			if (asked.end() != null) {
				return new Decision(raw, null, null, problem, promptTokens, completionTokens, asked.end());
			}
			reply = asked.reply();
			metrics.modelTokens(reply.generation().promptTokens(), reply.generation().completionTokens());
			promptTokens += reply.generation().promptTokens();
			completionTokens += reply.generation().completionTokens();
			raw = secrets.redact(run.id, reply.text());
			events.publish(new TaskEvent.ModelAnswered(run.id, n, raw, reply.modelMs(), attempt,
					reply.generation().promptTokens(), reply.generation().completionTokens()));
			conversation.answered(raw);
			try {
				// Acted on with whole values turned into placeholders only: a fragment-redacted answer would turn a
				// word that shares 4 letters with a secret into {{name}}, and type the secret where it was not meant.
				List<Action> actions = run.turns.actions(reply, secrets.redactWhole(run.id, reply.text()));
				clock.lap(Phase.PARSE);
				return new Decision(raw, reply, actions, "", promptTokens, completionTokens, null);
			}
			catch (UnparseableOutputException e) {
				problem = e.getMessage();
				question = conversation.reask(problem);
				clock.lap(Phase.PARSE);
			}
		}
		return new Decision(raw, reply, null, problem, promptTokens, completionTokens,
				StepOutcome.finish(TaskStatus.FAILED, "the model's answer could not be parsed after "
						+ (settings.reasks() + 1) + " attempts: " + problem));
	}

	/** What a step's actions did so far: for the step's record and the next step's turn. */
	private static final class ActLog {

		final CoordinateMapping mapping;

		final List<String> performed = new ArrayList<>();

		final List<String> history = new ArrayList<>();

		@Nullable Action firstAction;

		Step.@Nullable Coordinates firstCoordinates;

		long approvalWaitNanos;

		ActLog(CoordinateMapping mapping) {
			this.mapping = mapping;
		}

	}

	/**
	 * Runs the step's actions in order until one ends the task ({@code terminate}, {@code answer}, a refusal by a
	 * person) or is refused (a secret for a page it is not bound to); what they did opens the next step's turn.
	 */
	private Acts actAll(TaskRun run, int n, Observation seen, Reply reply, List<Action> actions, StepClock clock) {
		ActLog done = new ActLog(reply.mapping());
		StepOutcome outcome = StepOutcome.NEXT;
		for (Action action : actions) {
			StepOutcome stop = actOn(run, n, seen, action, done);
			if (stop != null) {
				outcome = stop;
				break;
			}
		}
		run.conversation(seen.view()).acted(done.history);
		run.beforeLastAction = seen.shot();
		clock.lap(Phase.EXECUTE);
		// Time a person took to approve is not the loop's cost.
		clock.exclude(Phase.EXECUTE, done.approvalWaitNanos);
		return new Acts(done.performed, done.firstAction, done.firstCoordinates, outcome);
	}

	/**
	 * One action: announced, then it ends the task, is refused, or is approved (where a rule says so) and run. Null
	 * when the next action may follow; otherwise how the step ends (NEXT: the task goes on with a new step).
	 */
	private @Nullable StepOutcome actOn(TaskRun run, int n, Observation seen, Action action, ActLog done) {
		Action shown = announce(run, n, seen, action, done);
		if (action.endsTask()) {
			done.performed.add(action instanceof Terminate terminate ? "terminate " + terminate.status().wireName()
					: "answer");
			return ending(run, action);
		}
		Finish limit = run.limits();
		if (limit != null) {
			return limit;
		}
		Action executable = reveal(run.id, action);
		if (executable != action) {
			String refused = SecretOrigins.refusal(run.spec, run.executor.pageUrl());
			if (refused != null) {
				// A step error, not a task failure: the model sees it and may navigate back.
				done.performed.add("not run: " + refused);
				done.history.add("(step " + n + ": " + refused + ")");
				return StepOutcome.NEXT;
			}
		}
		long waitStart = System.nanoTime();
		StepOutcome approved = approval.approve(run, n, shown, executable, done.mapping);
		done.approvalWaitNanos += System.nanoTime() - waitStart;
		if (approved instanceof Finish notApproved) {
			// Recorded with the step, so its screenshot and answer show what was refused.
			done.performed.add("not run: " + notApproved.message());
			return notApproved;
		}
		if (approved instanceof StepOutcome.LeftRunning) {
			return approved;
		}
		done.performed.add(act(run, action, executable, done.mapping));
		return null;
	}

	/**
	 * Publishes the action as the model meant it (secret fragments redacted, as stored and put in the history) and
	 * adds its history line; returns its published form.
	 */
	private Action announce(TaskRun run, int n, Observation seen, Action action, ActLog done) {
		Action shown = action.mapText(text -> secrets.redact(run.id, text));
		Step.Coordinates coordinates = coordinates(action, done.mapping, seen.shot());
		if (done.firstAction == null) {
			done.firstAction = shown;
			done.firstCoordinates = coordinates;
		}
		events.publish(new TaskEvent.ActionMapped(run.id, n, shown, coordinates));
		done.history.add(Prompts.historyEntry(run.turns.profile(), n, action, done.mapping.model()));
		return shown;
	}

	/** How {@code terminate} or {@code answer} ends the task. */
	private Finish ending(TaskRun run, Action action) {
		return switch (action) {
			case Terminate terminate when terminate.status() == Terminate.Status.SUCCESS ->
				StepOutcome.finish(TaskStatus.SUCCEEDED, "the model reported success");
			case Terminate terminate ->
				StepOutcome.finish(TaskStatus.FAILED, "the model gave up (terminate with status failure)");
			case Answer answer -> StepOutcome.finish(TaskStatus.SUCCEEDED, secrets.redact(run.id, answer.text()));
			default -> throw new IllegalArgumentException(action.name() + " does not end a task");
		};
	}

	/** Executes one action (a secret's placeholder filled in); what it did, secrets redacted. */
	private String act(TaskRun run, Action action, Action executable, CoordinateMapping mapping) {
		ActionOutcome outcome = run.executor.execute(executable, mapping);
		files.keep(run.id, outcome.downloads());
		if (executable != action) {
			run.executor.secretTyped();
			run.secretTyped = true;
		}
		return secrets.redact(run.id, outcome.performed());
	}

	/**
	 * Stores the step with its screenshot, then publishes it with its full timings (the record phase included, so the
	 * stored step carries every phase but that one, as it always has).
	 */
	private void record(TaskRun run, int n, Observation seen, Decision decision, Acts acts, String outcomeText,
			StepClock clock) {
		clock.skip();
		store(run, n, seen, decision, acts, outcomeText, clock);
		clock.lap(Phase.RECORD);
		StepTimings timings = clock.timings();
		metrics.step(timings);
		events.publish(new TaskEvent.StepFinished(run.id, n, outcomeText, timings, decision.promptTokens(),
				decision.completionTokens()));
	}

	private void store(TaskRun run, int n, Observation seen, Decision decision, Acts acts, String outcomeText,
			StepClock clock) {
		byte[] png = seen.shot().png();
		store.saveStep(new Step(run.id, n, seen.startedAt(), decision.raw(), acts.firstAction(),
				acts.firstCoordinates(), clock.timings(), outcomeText, png.length, decision.promptTokens(),
				decision.completionTokens()), png);
	}

	/** The pause after a step's actions so pages can react ({@code settle-ms}), sampling frames meanwhile. */
	private StepOutcome settle(TaskRun run) {
		if (settings.settleMs() == 0) {
			return StepOutcome.NEXT;
		}
		try {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.settleMs());
			for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
				TimeUnit.NANOSECONDS.sleep(run.sampler.waitNanos(left));
				run.sampler.sampleIfDue();
			}
			return StepOutcome.NEXT;
		}
		catch (InterruptedException e) {
			return StepOutcome.LEFT_RUNNING;
		}
	}

	private void finish(Task task, TaskStatus status, @Nullable String message) {
		if (parts.lifecycle().finish(task, status, message)) {
			metrics.finished(status);
		}
	}

	private Action reveal(String taskId, Action action) {
		if (action instanceof TypeText type && secrets.usesSecret(taskId, type.text())) {
			return new TypeText(secrets.reveal(taskId, type.text()));
		}
		return action;
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
			screen = null;
		}
		return new Step.Coordinates(point.xPx(), point.yPx(), mapping.model().widthPx(), mapping.model().heightPx(),
				shot.widthPx(), shot.heightPx(), screen);
	}

	private static String describe(Throwable e) {
		String message = e.getMessage();
		return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
	}

}
