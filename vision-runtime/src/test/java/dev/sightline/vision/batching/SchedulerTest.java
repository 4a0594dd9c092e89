package dev.sightline.vision.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerTest {

	private static final Conversation HI = Conversation.of(Message.user(new TextPart("hi")));

	private static final GenerationOptions TEN_TOKENS = GenerationOptions.GREEDY.withMaxNewTokens(10);

	@Test
	void decodesConcurrentRequestsTogetherInOneBatch() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		decoder.stepDelayMs = 5;
		try (Scheduler scheduler = new Scheduler(decoder, 16, 4, new SchedulerMetrics("m"))) {
			List<CompletableFuture<Generation>> results = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				results.add(scheduler.submit(HI, TEN_TOKENS, piece -> true));
			}
			for (CompletableFuture<Generation> result : results) {
				Generation generation = result.get(10, TimeUnit.SECONDS);
				assertThat(generation.text()).isEqualTo("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
				assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
			}
			assertThat(scheduler.maxBatch()).isEqualTo(4);
			assertThat(decoder.stepSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
			assertThat(decoder.stepSizes).contains(4);
			// 6 requests of 10 steps each (prompt with first token, then 9), at most 4 per step: far fewer steps than
			// one at a time (60).
			assertThat(decoder.stepSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
			assertThat(decoder.stepSizes.size()).isLessThan(30);
		}
	}

	@Test
	void theChoicesOfOneRequestAreAdmittedTogetherWithinTheBatchLimit() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		decoder.stepDelayMs = 2;
		try (Scheduler scheduler = new Scheduler(decoder, 16, 4, new SchedulerMetrics("m"))) {
			CompletableFuture<Generation> single = scheduler.submit(HI, TEN_TOKENS, piece -> true);
			List<CompletableFuture<Generation>> three = scheduler.submitChoices(HI,
					List.of(TEN_TOKENS, TEN_TOKENS, TEN_TOKENS), i -> piece -> true);
			// More choices than a batch holds: each is queued on its own.
			List<CompletableFuture<Generation>> six = scheduler.submitChoices(HI, java.util.Collections.nCopies(6,
					GenerationOptions.GREEDY.withMaxNewTokens(3)), i -> piece -> true);
			assertThat(single.get(10, TimeUnit.SECONDS).text()).isEqualTo("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
			for (CompletableFuture<Generation> choice : three) {
				assertThat(choice.get(10, TimeUnit.SECONDS).text()).isEqualTo("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
			}
			for (CompletableFuture<Generation> choice : six) {
				assertThat(choice.get(10, TimeUnit.SECONDS).text()).isEqualTo("w0 w1 w2 ");
			}
			assertThat(decoder.stepSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
		}
	}

	@Test
	void feedsLongPromptsInChunksWhileTheRunningRequestsKeepDecoding() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		decoder.stepDelayMs = 2;
		try (Scheduler scheduler = new Scheduler(decoder, 16, 8, 16, new SchedulerMetrics("m"))) {
			CompletableFuture<Generation> running = scheduler.submit(HI, GenerationOptions.GREEDY.withMaxNewTokens(40),
					piece -> true);
			org.awaitility.Awaitility.await().until(() -> !decoder.stepSizes.isEmpty());
			decoder.promptTokens = 100;
			CompletableFuture<Generation> longPrompt = scheduler.submit(HI, TEN_TOKENS, piece -> true);

			assertThat(longPrompt.get(10, TimeUnit.SECONDS).text()).isEqualTo("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
			assertThat(running.get(10, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.LENGTH);
			assertThat(decoder.promptTokensPerStep).allSatisfy(fed -> assertThat(fed).isLessThanOrEqualTo(16));
			// The 100-token prompt took at least 7 steps, and the running request got a token in every one of them.
			assertThat(decoder.promptTokensPerStep.stream().filter(fed -> fed == 16).count()).isGreaterThanOrEqualTo(6);
			assertThat(decoder.runningAdvanced).containsOnly(true);
		}
	}

	@Test
	void rejectsAPrefillChunkOfNoTokens() {
		assertThatThrownBy(() -> new Scheduler(new ScriptedBatchDecoder(8), 16, 8, 0, new SchedulerMetrics("m")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--prefill-chunk-tokens must be at least 1, got 0");
	}

	@Test
	void neverExceedsTheRuntimesOwnBatchLimit() {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(2);
		try (Scheduler scheduler = new Scheduler(decoder, 16, 16, new SchedulerMetrics("m"))) {
			assertThat(scheduler.maxBatch()).isEqualTo(2);
		}
	}

	@Test
	void streamsEachRequestsTextInOrder() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		try (Scheduler scheduler = new Scheduler(decoder, 16, 8, new SchedulerMetrics("m"))) {
			StringBuilder streamed = new StringBuilder();
			Generation generation = scheduler.submit(HI, TEN_TOKENS, piece -> {
				streamed.append(piece);
				return true;
			}).get(10, TimeUnit.SECONDS);
			assertThat(streamed.toString()).isEqualTo(generation.text());
		}
	}

	@Test
	void cancelsASequenceWhoseListenerDeclinesAndLetsTheOthersFinish() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		decoder.stepDelayMs = 2;
		try (Scheduler scheduler = new Scheduler(decoder, 16, 8, new SchedulerMetrics("m"))) {
			AtomicInteger pieces = new AtomicInteger();
			CompletableFuture<Generation> gone = scheduler.submit(HI, GenerationOptions.GREEDY.withMaxNewTokens(500),
					piece -> pieces.incrementAndGet() < 3);
			CompletableFuture<Generation> stays = scheduler.submit(HI, TEN_TOKENS, piece -> true);

			assertThat(gone.get(10, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
			assertThat(gone.get().tokenIds()).hasSizeLessThan(10);
			assertThat(stays.get(10, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.LENGTH);
		}
	}

	@Test
	void failsOnlyTheRequestWhosePrefillFailed() throws Exception {
		ScriptedBatchDecoder decoder = new ScriptedBatchDecoder(8);
		try (Scheduler scheduler = new Scheduler(decoder, 16, 8, new SchedulerMetrics("m"))) {
			CompletableFuture<Generation> bad = scheduler.submit(
					Conversation.of(new Message(Role.USER, List.of())), TEN_TOKENS, piece -> true);
			CompletableFuture<Generation> good = scheduler.submit(HI, TEN_TOKENS, piece -> true);

			assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("the last message is empty");
			assertThat(good.get(10, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.LENGTH);
		}
	}

	@Test
	void servesAModelWithoutBatchingOneRequestAtATime() throws Exception {
		ScriptedVisionModel model = new ScriptedVisionModel(List.of("a", "b", "c"));
		try (Scheduler scheduler = new Scheduler(model, 4, 16, new SchedulerMetrics("m"))) {
			assertThat(scheduler.maxBatch()).isEqualTo(1);
			List<CompletableFuture<Generation>> results = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				results.add(scheduler.submit(HI, TEN_TOKENS, piece -> true));
			}
			for (CompletableFuture<Generation> result : results) {
				assertThat(result.get(10, TimeUnit.SECONDS).text()).isEqualTo("abc");
			}
		}
	}

	@Test
	void refusesWorkBeyondTheQueueBound() {
		ScriptedVisionModel model = new ScriptedVisionModel(List.of("a"));
		model.gate = new java.util.concurrent.CountDownLatch(1);
		try (Scheduler scheduler = new Scheduler(model, 1, 1, new SchedulerMetrics("m"))) {
			scheduler.submit(HI, TEN_TOKENS, piece -> true);
			org.awaitility.Awaitility.await().until(() -> model.received.size() == 1);
			scheduler.submit(HI, TEN_TOKENS, piece -> true);

			assertThatThrownBy(() -> scheduler.submit(HI, TEN_TOKENS, piece -> true))
				.isInstanceOf(QueueFullException.class)
				.hasMessageContaining("1 requests waiting, --max-queue");
			model.gate.countDown();
		}
	}

}
