package dev.sightline.agent.loop;

import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.task.TaskStore;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.Screenshot;

/**
 * Samples extra screenshots while a task waits between its own (on the model, while settling), at
 * {@code sightline.video.frames-between-steps-fps}, so the task's recording is a real timed clip. Runs on the loop's
 * thread, the only one that may use the executor; a failed sample is skipped, never the task's end.
 */
final class FrameSampler {

	private static final Logger log = LoggerFactory.getLogger(FrameSampler.class);

	private final TaskStore store;

	private final String taskId;

	private final Executor executor;

	private final long intervalNanos;

	private final BooleanSupplier masked;

	private long nextNanos;

	private int step;

	FrameSampler(TaskStore store, String taskId, Executor executor, double fps, BooleanSupplier masked) {
		this.store = store;
		this.taskId = taskId;
		this.executor = executor;
		this.intervalNanos = fps <= 0 ? 0 : (long) (1e9 / fps);
		this.masked = masked;
	}

	boolean enabled() {
		return intervalNanos > 0;
	}

	/** A step's own screenshot was just taken: the next frame is one interval later. */
	void stepCaptured(int n) {
		step = n;
		nextNanos = System.nanoTime() + intervalNanos;
	}

	/** How long the loop may wait before the next frame is due; {@code maxNanos} when sampling is off. */
	long waitNanos(long maxNanos) {
		if (!enabled()) {
			return maxNanos;
		}
		return Math.max(1, Math.min(maxNanos, nextNanos - System.nanoTime()));
	}

	/** Takes and keeps a frame if one is due. */
	void sampleIfDue() {
		if (!enabled() || step == 0 || System.nanoTime() < nextNanos) {
			return;
		}
		nextNanos = Math.max(nextNanos + intervalNanos, System.nanoTime());
		try {
			Instant at = Instant.now();
			Screenshot shot = executor.screenshot();
			if (masked.getAsBoolean()) {
				shot = executor.maskSecrets(shot);
			}
			store.saveFrame(taskId, new TaskStore.Frame(step, at), shot.png());
		}
		catch (RuntimeException e) {
			log.debug("frame sample of task {} skipped: {}", taskId, e.toString());
		}
	}

}
