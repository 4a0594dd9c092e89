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
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.qwen.generate.GenerationLoop;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.qwen.generate.StepListener;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process backend end to end on the complete tiny-a checkpoint (random weights, real tokenizer files). */
class QwenVlTest {

	static QwenVl model;

	static Conversation screenshotQuestion;

	@BeforeAll
	static void load() throws Exception {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
		byte[] png = Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image/image_0.png"));
		screenshotQuestion = Conversation.of(Message.user(ImagePart.of(png), new TextPart("Where is the button?")));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void greedyGenerationMatchesDecodingThePreparedPromptDirectly() {
		Generation generation = model.generate(screenshotQuestion, GenerationOptions.GREEDY.withMaxNewTokens(6));
		assertThat(generation.tokenIds()).isNotEmpty().hasSizeLessThanOrEqualTo(6);
		assertThat(generation.imageSizes()).hasSize(1);
		ImageSize seen = generation.imageSizes().get(0);
		assertThat(seen.widthPx() % 28).isZero();
		assertThat(seen.heightPx() % 28).isZero();
		assertThat(generation.promptTokens()).isGreaterThan(seen.widthPx() / 28 * (seen.heightPx() / 28));

		ModelInputs inputs = QwenVl.inputs(promptOf(screenshotQuestion));
		try (QwenSequence sequence = model.model().newSequence(inputs.inputIds().length + 6)) {
			var direct = GenerationLoop.run(sequence.prefill(inputs, false), inputs.inputIds(), sequence::step,
					new Sampler(SamplingSettings.GREEDY), java.util.Set.of(1005, 1007), 6, StepListener.NONE);
			assertThat(generation.tokenIds()).isEqualTo(direct.tokenIds());
		}
	}

	@Test
	void streamedPiecesJoinToTheReturnedText() {
		List<String> pieces = new ArrayList<>();
		Generation generation = model.generate(screenshotQuestion, GenerationOptions.GREEDY.withMaxNewTokens(8),
				piece -> pieces.add(piece));
		assertThat(String.join("", pieces)).isEqualTo(generation.text());
		assertThat(generation.visionMs()).isPositive();
		assertThat(generation.prefillMs()).isPositive();
	}

	@Test
	void listenerReturningFalseCancelsGeneration() {
		Generation generation = model.generate(screenshotQuestion, GenerationOptions.GREEDY.withMaxNewTokens(8),
				piece -> false);
		// Cancelled after the first token that produced text (an eos first would read "stop").
		assertThat(generation.finishReason()).isIn(FinishReason.CANCELLED, FinishReason.STOP);
		assertThat(generation.tokenIds()).hasSizeLessThan(8);
	}

	@Test
	void seededSamplingIsReproducible() {
		GenerationOptions sampling = GenerationOptions.GREEDY.withMaxNewTokens(6).withTemperature(1.0).withSeed(42);
		assertThat(model.generate(screenshotQuestion, sampling).tokenIds())
			.isEqualTo(model.generate(screenshotQuestion, sampling).tokenIds());
	}

	@Test
	void pixelBudgetComesFromThePreprocessorConfig() {
		assertThat(model.pixelBudget().maxPixels()).isPositive();
		assertThat(model.name()).isEqualTo("tiny-a");
	}

	private static dev.sightline.vision.prompt.PreparedPrompt promptOf(Conversation conversation) {
		var tokenizer = dev.sightline.vision.tokenizer.QwenTokenizer.load(TinyCheckpoints.TINY_A.resolve("tokenizer.json"));
		var processor = new dev.sightline.vision.preprocess.ImageProcessor(
				dev.sightline.vision.preprocess.ProcessorConfig.read(TinyCheckpoints.TINY_A.resolve("preprocessor_config.json")));
		return new dev.sightline.vision.prompt.PromptBuilder(tokenizer,
				dev.sightline.vision.prompt.ChatTemplate.fromCheckpoint(TinyCheckpoints.TINY_A), processor, 32_768)
			.prepare(conversation, true);
	}

}
