package dev.sightline.vision.qwen3;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Qwen3-VL's choices of one image request ({@code n}) share the prompt: the image is encoded and the prompt
 * prefilled once (DeepStack rows and a non-zero rope delta included), and each choice decodes to the tokens it gets
 * alone.
 */
class Qwen3SharedPrefillChoicesTest {

	static Qwen3Vl model;

	static Conversation screenshot;

	@BeforeAll
	static void load() throws Exception {
		model = Qwen3Vl.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
		model.setPrefixCacheBytes(0);
		byte[] png = Files.readAllBytes(Qwen3TinyCheckpoint.GOLDEN.resolve("cases/lm_a_image/image_0.png"));
		screenshot = Conversation.of(Message.user(ImagePart.of(png), new TextPart("Where is the button?")));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void anImagePromptIsPrefilledOnceForThreeChoicesThatEachDecodeAsAlone() {
		GenerationOptions greedy = GenerationOptions.GREEDY.withMaxNewTokens(8);
		GenerationOptions seeded = new GenerationOptions(8, 1.0, 1.0, 0, 1.0, java.util.OptionalLong.of(3), List.of());
		List<GenerationOptions> options = List.of(greedy, seeded, greedy);
		List<DecodingSequence> choices = model.startChoices(screenshot, options);
		try {
			int steps = 0;
			while (choices.stream().anyMatch(c -> !c.finished())) {
				model.step(choices, 4096);
				steps++;
			}
			for (int i = 0; i < 3; i++) {
				assertThat(choices.get(i).generation().tokenIds()).as("choice %d", i)
					.isEqualTo(model.generate(screenshot, options.get(i)).tokenIds());
			}
			int prompt = choices.getFirst().generation().promptTokens();
			assertThat(choices.get(0).cachedPrefixTokens()).isZero();
			assertThat(choices.get(1).cachedPrefixTokens()).isEqualTo(prompt);
			assertThat(choices.get(2).cachedPrefixTokens()).isEqualTo(prompt);
			assertThat(choices.get(1).generation().visionMs()).as("the image was encoded once").isZero();
			assertThat(steps).isLessThanOrEqualTo(8 + 1);
		}
		finally {
			choices.forEach(DecodingSequence::close);
		}
	}

}
