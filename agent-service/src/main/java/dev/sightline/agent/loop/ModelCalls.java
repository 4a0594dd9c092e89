package dev.sightline.agent.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.model.ModelCallException;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnLoop.Asked;
import dev.sightline.vision.chat.Conversation;

/**
 * The model calls of every task, each on a model thread, at most {@code sightline.agent.model-concurrency} at once;
 * the task's thread samples frames meanwhile and stops waiting on a cancel or the deadline.
 */
final class ModelCalls {

	private final Semaphore slots;

	private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	ModelCalls(int concurrency) {
		this.slots = new Semaphore(concurrency);
	}

	/** The reply, or how the task ends while the model answers (cancel, deadline, shutdown). */
	Asked<StepOutcome> ask(TaskRun run, Conversation question, ModelView view) {
		// Set when the task stops waiting: the generation then stops at its next token and leaves the shared batch.
		AtomicBoolean abandoned = new AtomicBoolean();
		CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> {
			slots.acquireUninterruptibly();
			try {
				return run.turns.ask(question, run.options, view, () -> !abandoned.get());
			}
			finally {
				slots.release();
			}
		}, threads);
		try {
			CompletableFuture<Object> either = CompletableFuture.anyOf(call, run.cancel);
			while (true) {
				long remaining = run.deadlineNanos - System.nanoTime();
				if (remaining <= 0) {
					throw new TimeoutException();
				}
				try {
					// Wakes up for each frame due between steps; the model call runs on regardless.
					either.get(run.sampler.waitNanos(remaining), TimeUnit.NANOSECONDS);
					break;
				}
				catch (TimeoutException e) {
					run.sampler.sampleIfDue();
				}
			}
			if (run.cancel.isDone()) {
				abandoned.set(true);
				call.cancel(true);
				return new Asked.Stopped<>(
						StepOutcome.finish(TaskStatus.CANCELLED, "cancelled while the model was answering"));
			}
			return new Asked.Replied<>(call.join());
		}
		catch (TimeoutException e) {
			abandoned.set(true);
			call.cancel(true);
			return new Asked.Stopped<>(StepOutcome.finish(TaskStatus.TIMED_OUT, "timed out after "
					+ run.spec.timeoutSeconds() + " s (timeoutSeconds) while the model was answering"));
		}
		catch (InterruptedException e) {
			abandoned.set(true);
			call.cancel(true);
			return new Asked.Stopped<>(StepOutcome.LEFT_RUNNING);
		}
		catch (ExecutionException | CompletionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			if (cause instanceof ModelCallException failed) {
				throw failed;
			}
			throw new ModelCallException("the model failed: " + cause, cause);
		}
	}

}
