package dev.sightline.agent.loop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.loop.StepOutcome.Finish;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.HistoryWindow;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.chat.GenerationOptions;

/** One running task: its limits, its target and what the steps so far left behind. */
final class TaskRun {

	final Task task;

	final TaskSpec spec;

	final String id;

	final CompletableFuture<Void> cancel;

	final long deadlineNanos;

	final TurnPipeline turns;

	final GenerationOptions options;

	final Executor executor;

	final FrameSampler sampler;

	/** The screenshot the last action was taken on, for verify-after-act. */
	@Nullable Screenshot beforeLastAction;

	/** Once a secret was typed, screenshots are masked. */
	boolean secretTyped;

	private final AgentSettings settings;

	TaskRun(Task task, CompletableFuture<Void> cancel, TurnPipeline turns, Executor executor, TaskStore store,
			AgentSettings settings, double framesBetweenStepsFps) {
		this.settings = settings;
		this.task = task;
		this.spec = task.spec();
		this.id = task.id();
		this.cancel = cancel;
		this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
		this.turns = turns;
		this.options = GenerationOptions.GREEDY.withTemperature(spec.temperature())
			.withMaxNewTokens(spec.maxNewTokens() == null ? 256 : spec.maxNewTokens());
		this.executor = executor;
		this.sampler = new FrameSampler(store, id, executor, framesBetweenStepsFps, () -> secretTyped);
	}

	/** The task's conversation, opened on the first screen: its tool prompt announces the size the model sees. */
	AgentConversation openConversation(ModelView view) {
		boolean browser = spec.target() instanceof TaskTarget.Browser;
		List<String> notes = browser ? List.of(Prompts.SECRETS_NOTE) : List.of();
		return new AgentConversation(turns.profile(), spec.goal(), browser, notes, view.size(),
				new HistoryWindow(settings.screenshotsInPrompt(), settings.historySteps()));
	}

	/** Cancelled or past the deadline: how the task ends; null while it may go on. */
	@Nullable Finish limits() {
		if (cancel.isDone()) {
			return StepOutcome.finish(TaskStatus.CANCELLED, "cancelled on request");
		}
		if (System.nanoTime() > deadlineNanos) {
			return StepOutcome.finish(TaskStatus.TIMED_OUT,
					"timed out after " + spec.timeoutSeconds() + " s (timeoutSeconds)");
		}
		return null;
	}

}
