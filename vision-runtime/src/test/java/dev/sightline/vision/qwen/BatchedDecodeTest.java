package dev.sightline.vision.qwen;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Batched decode on tiny-a: one decoder pass over sequences of different prompt lengths (text, one image, several
 * windows), with prompts fed whole or in chunks beside running sequences, gives each sequence the tokens and logits
 * it gets when decoded alone.
 */
class BatchedDecodeTest {

	private static final int STEPS = 8;

	static QwenVl model;

	static List<ModelInputs> prompts;

	@BeforeAll
	static void load() {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
		prompts = List.of(TinyCheckpoints.inputs("lm_a_text"), TinyCheckpoints.inputs("lm_a_image"),
				TinyCheckpoints.inputs("lm_a_image_multiwin"));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void batchOfThreePromptsDecodesTokenForTokenLikeEachAlone() {
		List<long[]> aloneTokens = new ArrayList<>();
		List<List<float[]>> aloneLogits = new ArrayList<>();
		for (ModelInputs inputs : prompts) {
			try (QwenSequence sequence = model.model().newSequence(inputs.inputIds().length + STEPS)) {
				float[] logits = sequence.prefill(inputs, false);
				long[] tokens = new long[STEPS];
				List<float[]> steps = new ArrayList<>();
				for (int i = 0; i < STEPS; i++) {
					tokens[i] = Sampler.argmax(logits);
					logits = sequence.step(tokens[i]);
					steps.add(logits);
				}
				aloneTokens.add(tokens);
				aloneLogits.add(steps);
			}
		}

		List<QwenSequence> batch = new ArrayList<>();
		try {
			long[] next = new long[prompts.size()];
			for (int b = 0; b < prompts.size(); b++) {
				ModelInputs inputs = prompts.get(b);
				QwenSequence sequence = model.model().newSequence(inputs.inputIds().length + STEPS);
				batch.add(sequence);
				next[b] = Sampler.argmax(sequence.prefill(inputs, false));
			}
			assertThat(batch.stream().mapToInt(QwenSequence::length).distinct().count()).isEqualTo(3);
			for (int i = 0; i < STEPS; i++) {
				for (int b = 0; b < batch.size(); b++) {
					assertThat(next[b]).as("token %d of prompt %d", i, b).isEqualTo(aloneTokens.get(b)[i]);
				}
				float[][] logits = QwenSequence.pass(batch, next, Integer.MAX_VALUE);
				for (int b = 0; b < batch.size(); b++) {
					float[] expected = aloneLogits.get(b).get(i);
					assertThat(logits[b]).hasSize(expected.length);
					for (int v = 0; v < expected.length; v++) {
						assertThat(logits[b][v]).as("logit %d of step %d of prompt %d", v, i, b)
							.isCloseTo(expected[v], within(1e-4f));
					}
					next[b] = Sampler.argmax(logits[b]);
				}
			}
		}
		finally {
			batch.forEach(QwenSequence::close);
		}
	}

	@Test
	void batchDecoderGivesEachRequestTheGenerationItGetsAlone() throws Exception {
		byte[] png = Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image/image_0.png"));
		List<Conversation> conversations = List.of(
				Conversation.of(Message.user(ImagePart.of(png), new TextPart("Where is the button?"))),
				Conversation.of(Message.user(new TextPart("Say something long about screens."))),
				Conversation.of(Message.user(new TextPart("Hi"))));
		List<GenerationOptions> options = List.of(GenerationOptions.GREEDY.withMaxNewTokens(5),
				GenerationOptions.GREEDY.withMaxNewTokens(9), GenerationOptions.GREEDY.withMaxNewTokens(7));
		List<Generation> alone = new ArrayList<>();
		for (int i = 0; i < conversations.size(); i++) {
			alone.add(model.generate(conversations.get(i), options.get(i)));
		}

		List<DecodingSequence> running = new ArrayList<>();
		List<StringBuilder> streamed = new ArrayList<>();
		try {
			for (int i = 0; i < conversations.size(); i++) {
				running.add(model.start(conversations.get(i), options.get(i)));
				streamed.add(new StringBuilder());
			}
			int steps = 0;
			while (running.stream().anyMatch(s -> !s.finished())) {
				model.step(running, Integer.MAX_VALUE);
				for (int i = 0; i < running.size(); i++) {
					streamed.get(i).append(running.get(i).takeText());
				}
				assertThat(++steps).isLessThanOrEqualTo(10);
			}
			for (int i = 0; i < running.size(); i++) {
				Generation batched = running.get(i).generation();
				assertThat(batched.tokenIds()).as("request %d", i).isEqualTo(alone.get(i).tokenIds());
				assertThat(batched.text()).isEqualTo(alone.get(i).text()).isEqualTo(streamed.get(i).toString());
				assertThat(batched.finishReason()).isEqualTo(alone.get(i).finishReason());
				assertThat(batched.promptTokens()).isEqualTo(alone.get(i).promptTokens());
			}
		}
		finally {
			running.forEach(DecodingSequence::close);
		}
	}

	/**
	 * A plain greedy request has its token picked on the device (only its id comes back); one asking for
	 * log-probabilities gets its logits and picks on the host. In one shared pass both must pick the same tokens.
	 */
	@Test
	void argmaxPickedOnTheDeviceMatchesTheHostPickInTheSamePass() {
		Conversation conversation = Conversation.of(Message.user(new TextPart("Say something long about screens.")));
		GenerationOptions device = GenerationOptions.GREEDY.withMaxNewTokens(9);
		GenerationOptions host = device.withControls(new dev.sightline.vision.chat.OutputControls(0, 0,
				java.util.OptionalInt.of(0), java.util.Optional.empty()));
		List<DecodingSequence> running = new ArrayList<>();
		try {
			running.add(model.start(conversation, device));
			running.add(model.start(conversation, host));
			assertThat(((QwenDecoding<?>) running.get(0)).picksArgmax()).isTrue();
			assertThat(((QwenDecoding<?>) running.get(1)).picksArgmax()).isFalse();
			while (running.stream().anyMatch(s -> !s.finished())) {
				model.step(running, Integer.MAX_VALUE);
			}
			List<Integer> tokens = running.get(0).generation().tokenIds();
			assertThat(tokens).isNotEmpty().isEqualTo(running.get(1).generation().tokenIds());
			assertThat(running.get(1).generation().logprobs()).hasSameSizeAs(tokens);
		}
		finally {
			running.forEach(DecodingSequence::close);
		}
	}

	@Test
	void promptsFedInSmallChunksBesideRunningRequestsGiveTheSameGenerations() throws Exception {
		byte[] png = Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image/image_0.png"));
		Conversation first = Conversation.of(Message.user(new TextPart("Say something long about screens.")));
		Conversation image = Conversation.of(Message.user(ImagePart.of(png), new TextPart("Where is the button?")));
		Conversation hi = Conversation.of(Message.user(new TextPart("Hi")));
		GenerationOptions twelve = GenerationOptions.GREEDY.withMaxNewTokens(12);
		List<Generation> alone = List.of(model.generate(first, twelve), model.generate(image, twelve),
				model.generate(hi, twelve));

		List<DecodingSequence> running = new ArrayList<>();
		try {
			running.add(model.start(first, twelve));
			model.step(running, 5);
			model.step(running, 5);
			// The image prompt is far longer than 5 tokens: it is fed over many steps while the first one decodes.
			running.add(model.start(image, twelve));
			running.add(model.start(hi, twelve));
			int prefillSteps = 0;
			while (running.stream().anyMatch(s -> !s.finished())) {
				boolean imagePrefilling = running.get(1).prefilling();
				model.step(running, 5);
				prefillSteps += imagePrefilling ? 1 : 0;
			}
			assertThat(prefillSteps).isGreaterThan(3);
			for (int i = 0; i < running.size(); i++) {
				Generation chunked = running.get(i).generation();
				assertThat(chunked.tokenIds()).as("request %d", i).isEqualTo(alone.get(i).tokenIds());
				assertThat(chunked.promptTokens()).isEqualTo(alone.get(i).promptTokens());
			}
		}
		finally {
			running.forEach(DecodingSequence::close);
		}
	}

	@Test
	void aChunkedPromptGivesTheLogitsOfAWholeOne() {
		ModelInputs inputs = prompts.get(2);
		int length = inputs.inputIds().length;
		try (QwenSequence whole = model.model().newSequence(length + 1);
				QwenSequence chunked = model.model().newSequence(length + 1)) {
			float[] expected = whole.prefill(inputs, false);
			chunked.prepare(inputs);
			float[] logits = null;
			int passes = 0;
			while (chunked.promptTokensLeft() > 0) {
				assertThat(logits).as("no logits before the prompt ends").isNull();
				logits = QwenSequence.pass(List.of(chunked), new long[] { 0 }, 7)[0];
				passes++;
			}
			assertThat(passes).isEqualTo((length + 6) / 7);
			assertThat(chunked.length()).isEqualTo(length);
			for (int v = 0; v < expected.length; v++) {
				assertThat(logits[v]).as("logit %d", v).isCloseTo(expected[v], within(1e-4f));
			}
		}
	}

	@Test
	void cancelledSequenceLeavesTheBatchWithoutDisturbingTheOthers() {
		Conversation question = Conversation.of(Message.user(new TextPart("Count to ten.")));
		GenerationOptions six = GenerationOptions.GREEDY.withMaxNewTokens(6);
		Generation alone = model.generate(question, six);
		try (DecodingSequence kept = model.start(question, six);
				DecodingSequence cancelled = model.start(question, six)) {
			model.step(List.of(kept, cancelled), Integer.MAX_VALUE);
			cancelled.cancel();
			while (!kept.finished()) {
				model.step(List.of(kept, cancelled), Integer.MAX_VALUE);
			}
			assertThat(kept.generation().tokenIds()).isEqualTo(alone.tokenIds());
			assertThat(cancelled.generation().finishReason()).isEqualTo(FinishReason.CANCELLED);
			assertThat(cancelled.generation().tokenIds()).hasSize(1);
		}
	}

	@Test
	void rejectsABatchStepWithoutOneTokenPerSequence() {
		ModelInputs inputs = prompts.get(0);
		try (QwenSequence sequence = model.model().newSequence(inputs.inputIds().length + 1)) {
			sequence.prefill(inputs, false);
			assertThatThrownBy(() -> QwenSequence.pass(List.of(sequence), new long[] { 1, 2 }, 16))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("one token per sequence");
		}
	}

}
