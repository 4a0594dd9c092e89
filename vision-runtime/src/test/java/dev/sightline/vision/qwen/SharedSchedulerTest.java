package dev.sightline.vision.qwen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.batching.BatchDecoder;
import dev.sightline.vision.batching.QueueFullException;
import dev.sightline.vision.batching.ScheduledModel;
import dev.sightline.vision.batching.SchedulerLimits;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The in-process model as agent tasks, the ground endpoint and the test library meet it ({@link ScheduledModel}):
 * two callers at once share the real tiny-a model's decode steps and each gets the tokens it gets alone; a full
 * queue makes a caller wait, then fail with the limit named; a listener that says stop cancels only its request.
 */
class SharedSchedulerTest {

	static QwenVl model;

	private static final Conversation COUNT = Conversation.of(Message.user(new TextPart("Count to ten.")));

	private static final Conversation SCREENS = Conversation
		.of(Message.user(new TextPart("Say something long about screens.")));

	@BeforeAll
	static void load() {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void twoConcurrentCallersShareDecodeStepsAndGetTheTokensTheyGetAlone() throws Exception {
		GenerationOptions twelve = GenerationOptions.GREEDY.withMaxNewTokens(12);
		GenerationOptions nine = GenerationOptions.GREEDY.withMaxNewTokens(9);
		Generation countAlone = model.generate(COUNT, twelve);
		Generation screensAlone = model.generate(SCREENS, nine);
		RecordingDecoder recording = new RecordingDecoder(model);
		SchedulerMetrics metrics = new SchedulerMetrics("tiny-a");
		ScheduledModel shared = ScheduledModel.start(recording, SchedulerLimits.DEFAULTS, metrics);
		try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
			// The first admission waits until both requests are in, so both start in the same batch.
			Future<Generation> count = callers.submit(() -> shared.generate(COUNT, twelve));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recording.starts.getCount() == 0);
			Future<Generation> screens = callers.submit(() -> shared.generate(SCREENS, nine));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.scheduler().queueDepth() == 1);
			recording.release.countDown();

			Generation countShared = count.get(60, TimeUnit.SECONDS);
			Generation screensShared = screens.get(60, TimeUnit.SECONDS);
			assertThat(countShared.tokenIds()).isEqualTo(countAlone.tokenIds());
			assertThat(countShared.text()).isEqualTo(countAlone.text());
			assertThat(screensShared.tokenIds()).isEqualTo(screensAlone.tokenIds());
			assertThat(screensShared.text()).isEqualTo(screensAlone.text());
			int together = Math.min(countAlone.tokenIds().size(), screensAlone.tokenIds().size()) - 1;
			// Every step after both first tokens advanced both decodes in one pass: shared, not taking turns.
			assertThat(recording.decodingPerStep.stream().filter(decoding -> decoding == 2).count())
				.isGreaterThanOrEqualTo(together);
			assertThat(recording.decodingPerStep.size())
				.isLessThan(countAlone.tokenIds().size() + screensAlone.tokenIds().size());
			assertThat(metrics.snapshot().batchSizeMax()).isEqualTo(2);
			assertThat(metrics.snapshot().decodeGapMaxMs()).isPositive();
			assertThat(metrics.scrape()).contains("sightline_model_decode_gap_seconds_count")
				.contains("sightline_model_batch_size_bucket{model=\"tiny-a\",le=\"2.0\"}");
		}
		finally {
			shared.scheduler().close();
		}
	}

	@Test
	void aFullQueueMakesTheCallerWaitThenFailWithTheLimitNamed() throws Exception {
		RecordingDecoder recording = new RecordingDecoder(model);
		ScheduledModel shared = ScheduledModel.start(recording,
				SchedulerLimits.DEFAULTS.withMaxQueue(1).withQueueWait(Duration.ofMillis(300)),
				new SchedulerMetrics("tiny-a"));
		try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
			GenerationOptions two = GenerationOptions.GREEDY.withMaxNewTokens(2);
			Future<Generation> first = callers.submit(() -> shared.generate(COUNT, two));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recording.starts.getCount() == 0);
			Future<Generation> queued = callers.submit(() -> shared.generate(COUNT, two));
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.scheduler().queueDepth() == 1);

			long start = System.nanoTime();
			assertThatThrownBy(() -> shared.generate(COUNT, two)).isInstanceOf(QueueFullException.class)
				.hasMessageContaining("the model's queue is full (1 requests waiting");
			assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(290);

			recording.release.countDown();
			assertThat(first.get(60, TimeUnit.SECONDS).tokenIds()).hasSize(2);
			assertThat(queued.get(60, TimeUnit.SECONDS).tokenIds()).hasSize(2);
		}
		finally {
			shared.scheduler().close();
		}
	}

	@Test
	void aListenerThatSaysStopCancelsItsRequestOnTheCallersThread() {
		ScheduledModel shared = ScheduledModel.start(model, SchedulerLimits.DEFAULTS, new SchedulerMetrics("tiny-a"));
		try {
			Thread caller = Thread.currentThread();
			List<Thread> listenedOn = Collections.synchronizedList(new ArrayList<>());
			Generation generation = shared.generate(SCREENS, GenerationOptions.GREEDY.withMaxNewTokens(40), piece -> {
				listenedOn.add(Thread.currentThread());
				return false;
			});
			assertThat(generation.finishReason()).isEqualTo(FinishReason.CANCELLED);
			assertThat(generation.tokenIds().size()).isLessThan(40);
			assertThat(listenedOn).isNotEmpty().containsOnly(caller);
		}
		finally {
			shared.scheduler().close();
		}
	}

	/** The real model, its first admission held until the test releases it, its steps recorded. */
	static final class RecordingDecoder implements VisionLanguageModel, BatchDecoder {

		final QwenVl model;

		final CountDownLatch starts = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		/** Per step, how many of its sequences were past their prompt (decoding) when it began. */
		final List<Integer> decodingPerStep = Collections.synchronizedList(new ArrayList<>());

		RecordingDecoder(QwenVl model) {
			this.model = model;
		}

		@Override
		public DecodingSequence start(Conversation conversation, GenerationOptions options) {
			if (starts.getCount() > 0) {
				starts.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			return model.start(conversation, options);
		}

		@Override
		public void step(List<DecodingSequence> batch, int promptTokenBudget) {
			decodingPerStep.add((int) batch.stream().filter(s -> !s.prefilling()).count());
			model.step(batch, promptTokenBudget);
		}

		@Override
		public int maxBatchSize() {
			return model.maxBatchSize();
		}

		@Override
		public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
			return model.generate(conversation, options, listener);
		}

		@Override
		public PixelBudget pixelBudget() {
			return model.pixelBudget();
		}

		@Override
		public String name() {
			return model.name();
		}

	}

}
