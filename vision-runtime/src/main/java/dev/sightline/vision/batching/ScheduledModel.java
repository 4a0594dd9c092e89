package dev.sightline.vision.batching;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.weights.RuntimeInfo;

/**
 * An in-process model as every caller but the model server meets it: {@link #generate} submits to the model's one
 * {@link Scheduler}, so concurrent callers (agent tasks, the ground endpoint, video questions, the test library)
 * share decode passes instead of waiting for each other, and it returns when that request finishes. The caller's
 * listener runs on the caller's thread, never on the scheduler's, so a slow listener delays only its own request;
 * returning false from it, or interrupting the caller, cancels the request at the next step.
 * <p>
 * A full queue: the caller waits up to {@link SchedulerLimits#queueWait()} for a place, then gets
 * {@link QueueFullException} (the model server, which has a client to tell, answers 429 at once instead).
 */
public final class ScheduledModel implements VisionLanguageModel {

	// Marks the end of a request's text in the hand-over queue (compared by identity).
	private static final String END = new String("end");

	private final VisionLanguageModel model;

	private final Scheduler scheduler;

	private final SchedulerLimits limits;

	private ScheduledModel(VisionLanguageModel model, Scheduler scheduler, SchedulerLimits limits) {
		this.model = model;
		this.scheduler = scheduler;
		this.limits = limits;
	}

	/** Starts the scheduler of {@code model}; closing the result stops it and closes the model. */
	public static ScheduledModel start(VisionLanguageModel model, SchedulerLimits limits, SchedulerMetrics metrics) {
		return new ScheduledModel(model, new Scheduler(model, limits, metrics), limits);
	}

	@Override
	public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
		BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
		// Set by this thread when the listener says stop, read by the scheduler's at the next piece.
		AtomicBoolean stop = new AtomicBoolean();
		CompletableFuture<Generation> result;
		try {
			result = scheduler.submit(conversation, options, piece -> {
				pieces.add(piece);
				return !stop.get();
			}, limits.queueWait());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new VisionRuntimeException("interrupted while waiting for a place in the model's queue", e);
		}
		result.whenComplete((generation, failure) -> pieces.add(END));
		try {
			String piece;
			while ((piece = pieces.take()) != END) {
				if (!stop.get() && !listener.onText(piece)) {
					stop.set(true);
				}
			}
			return result.get();
		}
		catch (InterruptedException e) {
			// The scheduler sees the cancelled future at its next step and drops the sequence.
			result.cancel(false);
			Thread.currentThread().interrupt();
			throw new VisionRuntimeException("interrupted while the model was generating; the request was cancelled", e);
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new VisionRuntimeException("the model failed: " + e.getCause(), e.getCause());
		}
	}

	/** The scheduler every request goes through. */
	public Scheduler scheduler() {
		return scheduler;
	}

	/** The model the scheduler drives. */
	public VisionLanguageModel model() {
		return model;
	}

	@Override
	public PixelBudget pixelBudget() {
		return model.pixelBudget();
	}

	@Override
	public String name() {
		return model.name();
	}

	@Override
	public Optional<RuntimeInfo> runtime() {
		return model.runtime();
	}

	/** Stops the scheduler (queued requests fail) and closes the model. */
	@Override
	public void close() {
		scheduler.close();
		model.close();
	}

}
