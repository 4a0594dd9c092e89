package dev.sightline.agent.loop;

import java.time.Instant;
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
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnLoop;
import dev.sightline.tools.turn.TurnLoop.Asked;
import dev.sightline.tools.turn.TurnLoop.Ending;
import dev.sightline.tools.turn.TurnLoop.Heard;
import dev.sightline.tools.turn.TurnLoop.Observed;
import dev.sightline.tools.turn.TurnLoop.Performed;
import dev.sightline.tools.turn.TurnLoop.Turn;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.chat.Conversation;

/**
 * Runs one task from queued to a final status, recording every step and publishing its events. Its steps run in the
 * agent loop the test library's {@code ai.act} shares ({@link TurnLoop}); what is a task's own is {@link TaskSteps}:
 * observe the screen, decide (ask the model, re-ask an unusable answer), for each action approve it where a rule says
 * so and act, and record the step. Every phase returns how it ended ({@link StepOutcome}); a task ends through
 * {@link TaskLifecycle}.
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
			TurnLoop<StepOutcome> loop = new TurnLoop<>(turns, run.spec.maxSteps(), settings.reasks());
			return outcome(run, loop.run(new TaskSteps(run)));
		}
	}

	/** How the task ends, from how its steps ended. */
	private StepOutcome outcome(TaskRun run, Ending<StepOutcome> ending) {
		return switch (ending) {
			case Ending.Done<StepOutcome> done -> StepOutcome.finish(TaskStatus.SUCCEEDED, "the model reported success");
			case Ending.GaveUp<StepOutcome> gaveUp ->
				StepOutcome.finish(TaskStatus.FAILED, "the model gave up (terminate with status failure)");
			case Ending.Answered<StepOutcome> answer ->
				StepOutcome.finish(TaskStatus.SUCCEEDED, secrets.redact(run.id, answer.text()));
			case Ending.OutOfSteps<StepOutcome> out -> StepOutcome.finish(TaskStatus.FAILED,
					"reached maxSteps (" + run.spec.maxSteps() + ") without the model terminating");
			case Ending.Unparseable<StepOutcome> unusable -> StepOutcome.finish(TaskStatus.FAILED,
					"the model's answer could not be parsed after " + unusable.attempts() + " attempts: "
							+ unusable.problem());
			case Ending.Stopped<StepOutcome> stopped -> stopped.reason();
		};
	}

	/**
	 * One task's steps as the shared {@link TurnLoop} runs them, each a short story: {@link #observe} the screen,
	 * decide ({@link #ask} the model, re-asked by the loop while its answer is unusable; {@link #heard} keeps it with
	 * secret fragments redacted), for each action {@link #announce} it, {@link #perform} it (refused, approved where a
	 * rule says so, run), then {@link #record} the step and settle. Stops are {@link StepOutcome}s: a cancel, the
	 * deadline, a person's refusal, a shutdown.
	 */
	private final class TaskSteps implements TurnLoop.Driver<StepOutcome> {

		private final TaskRun run;

		/** The current step's clock, start and screenshot; set by {@link #observe}. */
		private StepClock clock = new StepClock();

		private Instant startedAt = Instant.now();

		private @Nullable Screenshot shot;

		private boolean unchanged;

		/** Time a person took to approve the current step's actions: not the loop's cost. */
		private long approvalWaitNanos;

		TaskSteps(TaskRun run) {
			this.run = run;
		}

		@Override
		public AgentConversation conversation(ModelView first) {
			return run.openConversation(first);
		}

		@Override
		public @Nullable StepOutcome interrupted() {
			return run.limits();
		}

		/** The screenshot (secret fields masked once one was typed) and the model's view of it. */
		@Override
		public Observed observe(int n) {
			clock = new StepClock();
			approvalWaitNanos = 0;
			startedAt = Instant.now();
			events.publish(new TaskEvent.StepStarted(run.id, n));
			clock.skip();
			Screenshot screen = run.executor.screenshot();
			if (run.secretTyped) {
				// Only once a secret was typed is there a field to mask (and a page round trip to pay for it).
				screen = run.executor.maskSecrets(screen);
			}
			// Where the target gave raw pixels (a desktop, a masked shot), the recording's PNG is made while the model
			// thinks, not on the step's path.
			screen.encodeInBackground();
			shot = screen;
			clock.lap(Phase.SCREENSHOT);
			run.sampler.stepCaptured(n);
			// Verify-after-act: an identical screenshot means the last action changed nothing visible.
			unchanged = settings.verifyAfterAct() && screen.samePixels(run.beforeLastAction);
			ModelView view = run.turns.view(screen);
			clock.lap(Phase.PREPROCESS);
			return new Observed(view,
					unchanged ? List.of("(the screen did not change after step " + (n - 1) + ")") : List.of());
		}

		/** The model's reply, or how the task ends while it answers (cancel, deadline, shutdown). */
		@Override
		public Asked<StepOutcome> ask(Conversation question, ModelView view, int attempt) {
			return modelCalls.ask(run, question, view);
		}

		/**
		 * The answer is published and kept with secret fragments redacted, and acted on with whole values turned into
		 * placeholders only: a fragment-redacted answer would turn a word that shares 4 letters with a secret into
		 * {{name}}, and type the secret where it was not meant.
		 */
		@Override
		public Heard heard(int n, Reply reply, int attempt) {
			metrics.modelTokens(reply.generation().promptTokens(), reply.generation().completionTokens());
			String raw = secrets.redact(run.id, reply.text());
			events.publish(new TaskEvent.ModelAnswered(run.id, n, raw, reply.modelMs(), attempt,
					reply.generation().promptTokens(), reply.generation().completionTokens()));
			return new Heard(raw, secrets.redactWhole(run.id, reply.text()));
		}

		/** Publishes the action as the model meant it (secret fragments redacted, as stored and in the history). */
		@Override
		public void announce(int n, Action action, CoordinateMapping mapping) {
			events.publish(new TaskEvent.ActionMapped(run.id, n, shown(action), coordinates(action, mapping, shot())));
		}

		/**
		 * One action: refused (a secret for a page it is not bound to), or approved where a rule says so and run.
		 */
		@Override
		public Performed<StepOutcome> perform(int n, Action action, CoordinateMapping mapping) {
			Action executable = reveal(run.id, action);
			if (executable != action) {
				String refused = SecretOrigins.refusal(run.spec, run.executor.pageUrl());
				if (refused != null) {
					// A step error, not a task failure: the model sees it and may navigate back.
					return new Performed.Skipped<>("not run: " + refused, "(step " + n + ": " + refused + ")");
				}
			}
			long waitStart = System.nanoTime();
			StepOutcome approved = approval.approve(run, n, shown(action), executable, mapping);
			approvalWaitNanos += System.nanoTime() - waitStart;
			return switch (approved) {
				// Recorded with the step, so its screenshot and answer show what was refused.
				case Finish notApproved -> new Performed.Stopped<>(notApproved, "not run: " + notApproved.message());
				case StepOutcome.LeftRunning left -> new Performed.Stopped<>(left, null);
				case StepOutcome.Next next -> new Performed.Ran<>(act(run, action, executable, mapping));
			};
		}

		/**
		 * Stores the step with its screenshot and publishes it (a task left running for the next start is not
		 * recorded), then pauses for the page to react when the task goes on.
		 */
		@Override
		public @Nullable StepOutcome record(Turn<StepOutcome> turn) {
			run.beforeLastAction = shot();
			if (turn.actions() == null) {
				// The answers that stayed unusable are kept with the step; the task ends without a finished step.
				store(turn, "unparseable: " + turn.problem());
				return null;
			}
			if (turn.ending() instanceof Ending.Stopped<StepOutcome> stopped
					&& stopped.reason() instanceof StepOutcome.LeftRunning) {
				return null;
			}
			String outcomeText = (unchanged ? "screen unchanged after the previous action; " : "")
					+ String.join("; ", turn.performed());
			clock.skip();
			store(turn, outcomeText);
			clock.lap(Phase.RECORD);
			StepTimings timings = clock.timings();
			metrics.step(timings);
			events.publish(new TaskEvent.StepFinished(run.id, turn.step(), outcomeText, timings,
					promptTokens(turn), completionTokens(turn)));
			if (turn.ending() != null) {
				return null;
			}
			StepOutcome settled = settle(run);
			return settled instanceof StepOutcome.Next ? null : settled;
		}

		@Override
		public void passed(TurnLoop.Phase phase) {
			clock.lap(switch (phase) {
				case PROMPT -> Phase.PROMPT;
				case MODEL -> Phase.MODEL;
				case PARSE -> Phase.PARSE;
				case EXECUTE -> Phase.EXECUTE;
			});
			if (phase == TurnLoop.Phase.EXECUTE) {
				clock.exclude(Phase.EXECUTE, approvalWaitNanos);
			}
		}

		/** The step with its screenshot, every phase timed so far (the record phase comes after). */
		private void store(Turn<StepOutcome> turn, String outcomeText) {
			Screenshot screen = shot();
			List<Action> actions = turn.actions() == null ? List.of() : turn.actions();
			Action first = actions.isEmpty() ? null : actions.getFirst();
			byte[] png = screen.png();
			store.saveStep(new Step(run.id, turn.step(), startedAt, turn.answer(), first == null ? null : shown(first),
					first == null ? null : coordinates(first, turn.mapping(), screen), clock.timings(), outcomeText,
					png.length, promptTokens(turn), completionTokens(turn)), png);
		}

		private Action shown(Action action) {
			return action.mapText(text -> secrets.redact(run.id, text));
		}

		private Screenshot shot() {
			Screenshot screen = shot;
			if (screen == null) {
				throw new IllegalStateException("no step observed yet");
			}
			return screen;
		}

	}

	private static int promptTokens(Turn<?> turn) {
		return turn.replies().stream().mapToInt(reply -> reply.generation().promptTokens()).sum();
	}

	private static int completionTokens(Turn<?> turn) {
		return turn.replies().stream().mapToInt(reply -> reply.generation().completionTokens()).sum();
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
