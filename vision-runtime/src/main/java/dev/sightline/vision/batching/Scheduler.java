package dev.sightline.vision.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.TokenLogprob;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.chat.VisionLanguageModel.TokenListener;
import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;

/**
 * Shares one model between requests. Requests wait in a bounded queue ({@link QueueFullException} when it is full);
 * one scheduler thread owns the model. A model that is a {@link BatchDecoder} gets continuous batching with chunked
 * prefill: waiting requests join the running batch between steps, up to {@code maxBatch}, their prompts fed in
 * chunks of at most {@code prefillChunkTokens} within the same passes that decode the running ones, and a finished
 * or cancelled one leaves it at once. Any other model serves one request at a time. A listener that returns false
 * cancels its request (the client went away). Every caller of an in-process model comes through one of these: the
 * model server directly, everyone else through {@link ScheduledModel}.
 */
public final class Scheduler implements AutoCloseable {

	private final VisionLanguageModel model;

	private final int maxQueue;

	private final int maxBatch;

	private final int prefillChunkTokens;

	private final SchedulerMetrics metrics;

	private final BlockingQueue<Job> queue;

	private final AtomicInteger running = new AtomicInteger();

	private final Thread worker;

	private volatile boolean open = true;

	// Smoothed request time, for Retry-After.
	private volatile double requestSecondsAverage = 1;

	/** How long {@link #close()} waits for the step in progress. */
	private static final long CLOSE_WAIT_MS = 30_000;

	/** Prompt tokens per step when the caller does not say: the model server's default. */
	public static final int DEFAULT_PREFILL_CHUNK_TOKENS = 512;

	public Scheduler(VisionLanguageModel model, SchedulerLimits limits, SchedulerMetrics metrics) {
		this(model, limits.maxQueue(), limits.maxBatch(), limits.prefillChunkTokens(), metrics);
	}

	public Scheduler(VisionLanguageModel model, int maxQueue, int maxBatch, SchedulerMetrics metrics) {
		this(model, maxQueue, maxBatch, DEFAULT_PREFILL_CHUNK_TOKENS, metrics);
	}

	public Scheduler(VisionLanguageModel model, int maxQueue, int maxBatch, int prefillChunkTokens,
			SchedulerMetrics metrics) {
		if (prefillChunkTokens < 1) {
			throw new IllegalArgumentException("--prefill-chunk-tokens must be at least 1, got " + prefillChunkTokens);
		}
		if (maxQueue < 1) {
			throw new IllegalArgumentException("--max-queue must be at least 1, got " + maxQueue);
		}
		if (maxBatch < 1) {
			throw new IllegalArgumentException("--max-batch must be at least 1, got " + maxBatch);
		}
		this.model = model;
		this.maxQueue = maxQueue;
		this.prefillChunkTokens = prefillChunkTokens;
		this.maxBatch = model instanceof BatchDecoder decoder ? Math.min(maxBatch, decoder.maxBatchSize()) : 1;
		this.metrics = metrics;
		this.queue = new ArrayBlockingQueue<>(maxQueue);
		metrics.bindQueue(queue::size, running::get);
		this.worker = Thread.ofPlatform().name("model-scheduler").daemon().unstarted(this::run);
		worker.start();
	}

	/**
	 * Queues a request; the future completes with its generation (finish reason {@code cancelled} when the listener
	 * stopped it), or exceptionally when the model failed on it.
	 */
	public CompletableFuture<Generation> submit(Conversation conversation, GenerationOptions options,
			TokenListener listener) {
		if (!open) {
			throw new SchedulerClosedException();
		}
		Job job = new Job(conversation, options, listener);
		if (!queue.offer(job)) {
			throw rejected();
		}
		return job.result;
	}

	/**
	 * {@link #submit(Conversation, GenerationOptions, TokenListener)} for a caller that would rather wait than be
	 * turned away: waits up to {@code queueWait} for a place in a full queue.
	 * @throws QueueFullException when the queue stayed full for {@code queueWait}
	 */
	public CompletableFuture<Generation> submit(Conversation conversation, GenerationOptions options,
			TokenListener listener, Duration queueWait) throws InterruptedException {
		if (!open) {
			throw new SchedulerClosedException();
		}
		Job job = new Job(conversation, options, listener);
		if (!queue.offer(job, queueWait.toNanos(), TimeUnit.NANOSECONDS)) {
			throw rejected();
		}
		return job.result;
	}

	/**
	 * Queues the choices of one request ({@code n}), one per options, as one job: they are admitted together, and a
	 * runtime that can ({@link BatchDecoder#startChoices}) prefills their prompt once. With more choices than a
	 * batch holds, or a model that is no {@link BatchDecoder}, each choice is queued on its own. A refusal (queue
	 * full) takes none of them.
	 * @param listeners the listener of choice i
	 */
	public List<CompletableFuture<Generation>> submitChoices(Conversation conversation,
			List<GenerationOptions> options, IntFunction<TokenListener> listeners) {
		if (!open) {
			throw new SchedulerClosedException();
		}
		if (options.size() == 1 || options.size() > maxBatch || !(model instanceof BatchDecoder)) {
			List<CompletableFuture<Generation>> results = new ArrayList<>();
			try {
				for (int i = 0; i < options.size(); i++) {
					results.add(submit(conversation, options.get(i), listeners.apply(i)));
				}
			}
			catch (RuntimeException e) {
				results.forEach(result -> result.cancel(false));
				throw e;
			}
			return results;
		}
		List<Job> others = new ArrayList<>();
		for (int i = 1; i < options.size(); i++) {
			others.add(new Job(conversation, options.get(i), listeners.apply(i), List.of()));
		}
		Job first = new Job(conversation, options.getFirst(), listeners.apply(0), others);
		if (!queue.offer(first)) {
			throw rejected();
		}
		List<CompletableFuture<Generation>> results = new ArrayList<>();
		results.add(first.result);
		others.forEach(job -> results.add(job.result));
		return results;
	}

	private QueueFullException rejected() {
		metrics.request("rejected");
		long retryAfter = Math.max(1, Math.round(requestSecondsAverage * (maxQueue / (double) maxBatch)));
		return new QueueFullException(maxQueue, retryAfter);
	}

	public SchedulerMetrics metrics() {
		return metrics;
	}

	public int queueDepth() {
		return queue.size();
	}

	public int running() {
		return running.get();
	}

	/** The batch size in effect: 1 unless the model is a {@link BatchDecoder}. */
	public int maxBatch() {
		return maxBatch;
	}

	private void run() {
		try {
			if (model instanceof BatchDecoder decoder) {
				runBatched(decoder);
			}
			else {
				runSequential();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private void runSequential() throws InterruptedException {
		while (open) {
			Job job = queue.take();
			if (job.result.isDone()) {
				continue;
			}
			running.set(1);
			try {
				Generation generation = model.generate(job.conversation, job.options, piece -> {
					job.firstToken();
					return job.listener.onText(piece);
				});
				job.firstToken();
				metrics.prefilled(generation.promptTokens());
				complete(job, generation);
			}
			catch (RuntimeException e) {
				fail(job, e);
			}
			finally {
				running.set(0);
			}
		}
	}

	private void runBatched(BatchDecoder decoder) throws InterruptedException {
		List<Active> active = new ArrayList<>();
		try {
			runBatched(decoder, active);
		}
		finally {
			// Shut down mid-generation: the running requests end too, rather than waiting for ever.
			for (Active a : active) {
				fail(a.job, new SchedulerClosedException());
				a.sequence.close();
			}
		}
	}

	private void runBatched(BatchDecoder decoder, List<Active> active) throws InterruptedException {
		// When the last step that gave running decodes a token ended: the next one's end, minus this, is how long
		// they waited for their next token (admissions, vision chunks and the pass itself all count).
		long lastDecodeStepEnd = 0;
		while (open) {
			if (active.isEmpty()) {
				lastDecodeStepEnd = 0;
				admit(decoder, queue.take(), active);
			}
			Job next;
			// Only this thread takes from the queue: the job peeked at is the one polled.
			while ((next = queue.peek()) != null && (next.abandoned() || active.size() + next.size() <= maxBatch)) {
				admit(decoder, queue.poll(), active);
			}
			running.set(active.size());
			List<DecodingSequence> batch = active.stream().map(Active::sequence).filter(s -> !s.finished()).toList();
			boolean decoding = batch.stream().anyMatch(s -> !s.prefilling());
			if (!batch.isEmpty()) {
				try {
					decoder.step(batch, prefillChunkTokens);
					metrics.step(batch.size());
					long now = System.nanoTime();
					if (decoding && lastDecodeStepEnd != 0) {
						metrics.decodeGap(now - lastDecodeStepEnd);
					}
					lastDecodeStepEnd = now;
				}
				catch (RuntimeException e) {
					// A failed step leaves the batch's caches in an unknown state: fail every member.
					active.forEach(a -> {
						fail(a.job, e);
						a.sequence.close();
					});
					active.clear();
					continue;
				}
			}
			for (Iterator<Active> it = active.iterator(); it.hasNext();) {
				Active a = it.next();
				if (!a.sequence.prefilling()) {
					a.job.firstToken();
				}
				deliver(a);
				if (a.sequence.finished()) {
					it.remove();
					try {
						Generation generation = a.sequence.generation();
						metrics.prefilled(Math.max(0, generation.promptTokens() - a.sequence.cachedPrefixTokens()));
						complete(a.job, generation);
					}
					catch (RuntimeException e) {
						fail(a.job, e);
					}
					finally {
						a.sequence.close();
					}
				}
			}
			running.set(active.size());
		}
	}

	private void admit(BatchDecoder decoder, Job job, List<Active> active) {
		if (!job.choices.isEmpty()) {
			admitChoices(decoder, job, active);
			return;
		}
		if (job.result.isDone()) {
			return;
		}
		DecodingSequence sequence;
		try {
			sequence = decoder.start(job.conversation, job.options);
		}
		catch (RuntimeException e) {
			fail(job, e);
			return;
		}
		active.add(new Active(job, sequence));
	}

	/** The choices of one request, started together so the runtime can share their prompt. */
	private void admitChoices(BatchDecoder decoder, Job first, List<Active> active) {
		List<Job> members = new ArrayList<>();
		members.add(first);
		members.addAll(first.choices);
		List<Job> waiting = members.stream().filter(job -> !job.result.isDone()).toList();
		if (waiting.isEmpty()) {
			return;
		}
		List<DecodingSequence> sequences;
		try {
			sequences = decoder.startChoices(waiting.getFirst().conversation,
					waiting.stream().map(job -> job.options).toList());
		}
		catch (RuntimeException e) {
			waiting.forEach(job -> fail(job, e));
			return;
		}
		for (int i = 0; i < waiting.size(); i++) {
			active.add(new Active(waiting.get(i), sequences.get(i)));
		}
	}

	private static void deliver(Active a) {
		String text = a.sequence.takeText();
		List<TokenLogprob> logprobs = a.sequence.takeLogprobs();
		if ((!text.isEmpty() || !logprobs.isEmpty()) && !a.job.listener.onPiece(text, logprobs)) {
			a.sequence.cancel();
		}
		if (a.job.result.isCancelled() && !a.sequence.finished()) {
			a.sequence.cancel();
		}
	}

	private void complete(Job job, Generation generation) {
		double seconds = (System.nanoTime() - job.arrivalNanos) / 1e9;
		requestSecondsAverage = 0.8 * requestSecondsAverage + 0.2 * seconds;
		metrics.finished(generation.promptTokens(), generation.tokenIds().size(), generation.decodeMs());
		metrics.request(generation.finishReason().label());
		job.result.complete(generation);
	}

	private void fail(Job job, RuntimeException e) {
		metrics.request("failed");
		job.result.completeExceptionally(e);
	}

	/** Stops taking work; queued requests fail, the running one finishes its current step. */
	@Override
	public void close() {
		open = false;
		worker.interrupt();
		Job job;
		while ((job = queue.poll()) != null) {
			job.result.completeExceptionally(new SchedulerClosedException());
			job.choices.forEach(choice -> choice.result.completeExceptionally(new SchedulerClosedException()));
		}
		if (Thread.currentThread() != worker) {
			try {
				// The model is usually closed next: the step in progress must not run on freed tensors.
				worker.join(CLOSE_WAIT_MS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}


	private record Active(Job job, DecodingSequence sequence) {
	}

	private final class Job {

		final Conversation conversation;

		final GenerationOptions options;

		final TokenListener listener;

		final CompletableFuture<Generation> result = new CompletableFuture<>();

		final long arrivalNanos = System.nanoTime();

		// The other choices of the same request, admitted with this one (empty for a request of one choice).
		final List<Job> choices;

		private boolean firstTokenSeen;

		Job(Conversation conversation, GenerationOptions options, TokenListener listener) {
			this(conversation, options, listener, List.of());
		}

		Job(Conversation conversation, GenerationOptions options, TokenListener listener, List<Job> choices) {
			this.conversation = conversation;
			this.options = options;
			this.listener = listener;
			this.choices = List.copyOf(choices);
		}

		/** Batch places this job takes. */
		int size() {
			return 1 + choices.size();
		}

		/** Every choice was cancelled (or failed) while queued: admitting it only drops it. */
		boolean abandoned() {
			return result.isDone() && choices.stream().allMatch(choice -> choice.result.isDone());
		}

		void firstToken() {
			if (!firstTokenSeen) {
				firstTokenSeen = true;
				metrics.firstToken(System.nanoTime() - arrivalNanos);
			}
		}

	}

}
