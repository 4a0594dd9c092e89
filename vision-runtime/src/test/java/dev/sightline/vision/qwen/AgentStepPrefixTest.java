package dev.sightline.vision.qwen;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.prefix.PrefixCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent's append-only conversation through the in-process backend: each step's request reuses every whole
 * block of the previous step's prompt (its screenshots included) and answers exactly as with the cache off.
 */
class AgentStepPrefixTest {

	private static final GenerationOptions ANSWER = GenerationOptions.GREEDY.withMaxNewTokens(10);

	static QwenVl model;

	static List<byte[]> screenshots;

	@BeforeAll
	static void load() throws Exception {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
		screenshots = List.of(Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image/image_0.png")),
				Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image_multiwin/image_0.png")),
				Files.readAllBytes(TinyCheckpoints.GOLDEN.resolve("cases/lm_a_image/image_0.png")));
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/** Runs three agent steps; returns each step's answer, and its prompt tokens and cache hit tokens. */
	private static List<long[]> steps(List<String> answers) {
		List<Message> history = new ArrayList<>(List.of(Message.system("You operate a browser."),
				Message.user(new TextPart("Goal: sign in as alice."))));
		List<long[]> counts = new ArrayList<>();
		for (int step = 0; step < screenshots.size(); step++) {
			history.add(Message.user(ImagePart.of(screenshots.get(step)), new TextPart("Step " + (step + 1))));
			long hitsBefore = model.prefixCacheStats().hitTokens();
			Generation generation = model.generate(new Conversation(List.copyOf(history)), ANSWER, text -> true);
			answers.add(generation.text());
			counts.add(new long[] { generation.promptTokens(), model.prefixCacheStats().hitTokens() - hitsBefore });
			history.add(Message.assistant(generation.text()));
			history.add(Message.user(new TextPart("Result: clicked")));
		}
		return counts;
	}

	@Test
	void eachStepReusesThePreviousStepsWholePromptAndAnswersAsWithoutTheCache() {
		model.setPrefixCacheBytes(0);
		List<String> plain = new ArrayList<>();
		List<long[]> plainCounts = steps(plain);
		assertThat(plainCounts).allSatisfy(c -> assertThat(c[1]).isZero());
		List<String> cached = new ArrayList<>();
		try {
			model.setPrefixCacheBytes(PrefixCache.megabytes(16));
			long processedBefore = model.model().prefixCache().images().misses();
			long memoBefore = model.model().prefixCache().images().hits();
			List<long[]> counts = steps(cached);
			assertThat(cached).isEqualTo(plain);
			// Six images sent over three steps, two distinct PNGs: each decoded and resized once.
			assertThat(model.model().prefixCache().images().misses() - processedBefore).isEqualTo(2);
			assertThat(model.model().prefixCache().images().hits() - memoBefore).isEqualTo(4);
			assertThat(counts.get(0)[1]).isZero();
			for (int step = 1; step < counts.size(); step++) {
				long previousPrompt = counts.get(step - 1)[0];
				assertThat(counts.get(step)[1]).as("cache hit tokens of step %d", step + 1)
					.isGreaterThanOrEqualTo(previousPrompt / PrefixCache.BLOCK_TOKENS * PrefixCache.BLOCK_TOKENS);
			}
		}
		finally {
			model.setPrefixCacheBytes(0);
		}
	}

}
