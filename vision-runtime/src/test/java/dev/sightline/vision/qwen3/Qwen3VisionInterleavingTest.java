package dev.sightline.vision.qwen3;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.qwen.QwenDecoding;
import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * As Qwen2.5-VL's VisionInterleavingTest, for Qwen3-VL: a new image request's vision tower (DeepStack mergers
 * included) runs a block per step beside the running decodes, each of which still gets its next token every step,
 * and the image request then decodes to the same tokens as alone.
 */
class Qwen3VisionInterleavingTest {

	static Qwen3Vl model;

	static Conversation screenshot;

	@BeforeAll
	static void load() throws Exception {
		model = Qwen3Vl.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
		model.setVisionBlocksPerStep(1);
		byte[] png = Files.readAllBytes(Qwen3TinyCheckpoint.GOLDEN.resolve("cases/lm_a_image/image_0.png"));
		screenshot = Conversation.of(Message.user(ImagePart.of(png), new TextPart("Where is the button?")));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void runningDecodesGetATokenEveryStepWhileANewImageIsEncoded() {
		int depth = model.model().config().vision().depth();
		GenerationOptions options = GenerationOptions.GREEDY.withMaxNewTokens(depth + 8);
		try (QwenDecoding<?> running = (QwenDecoding<?>) model.start(
				Conversation.of(Message.user(new TextPart("Describe the page in detail."))), options)) {
			while (running.prefilling()) {
				model.step(List.of(running), 512);
			}
			try (QwenDecoding<?> arriving = (QwenDecoding<?>) model.start(screenshot, options)) {
				Qwen3Sequence sequence = (Qwen3Sequence) arriving.sequence();
				// Starting a request prepares its inputs only: no vision block has run yet.
				assertThat(sequence.visionBlocksLeft()).isEqualTo(depth);
				int stepsWhilePending = 0;
				while (sequence.visionBlocksLeft() > 0) {
					assertThat(running.finished()).as("the running request ends before the image is encoded").isFalse();
					int before = running.generatedCount();
					int blocksBefore = sequence.visionBlocksLeft();
					model.step(List.<DecodingSequence>of(running, arriving), 512);
					assertThat(running.generatedCount()).as("tokens of the running request").isEqualTo(before + 1);
					assertThat(sequence.visionBlocksLeft()).isEqualTo(blocksBefore - 1);
					stepsWhilePending++;
				}
				assertThat(stepsWhilePending).isEqualTo(depth);
				// The step that ran its last block fed none of its prompt: that starts in the next step.
				assertThat(sequence.length()).isZero();
				while (!arriving.finished()) {
					model.step(List.<DecodingSequence>of(running, arriving), 512);
				}
				// Interleaved or alone, the image request decodes to the same tokens.
				assertThat(arriving.generation().tokenIds())
					.isEqualTo(model.generate(screenshot, options).tokenIds());
				assertThat(arriving.generation().visionMs()).isPositive();
			}
		}
	}

}
