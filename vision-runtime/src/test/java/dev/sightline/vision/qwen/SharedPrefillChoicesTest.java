package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.batching.Scheduler;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel.TokenListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choices of one request ({@code n}) on the real tiny-a model: the prompt is prefilled once and the other
 * choices decode on from a copy of its keys and values. Each choice gets exactly the tokens it gets when run alone
 * with the same settings (greedy: all identical; seeded: each its own, and they differ).
 */
class SharedPrefillChoicesTest {

	static QwenVl model;

	private static final Conversation PROMPT = Conversation
		.of(Message.user(new TextPart("Describe three buttons on a login page, one per line.")));

	private static final Pattern PREFILLED = Pattern
		.compile("sightline_model_prompt_prefilled_tokens_total\\{[^}]*} ([0-9.E]+)");

	@BeforeAll
	static void load() {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
		// Off, so that every prompt token not computed was shared by another choice, not found in the cache.
		model.setPrefixCacheBytes(0);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	static double prefilled(SchedulerMetrics metrics) {
		Matcher matcher = PREFILLED.matcher(metrics.scrape());
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	private static List<Generation> choices(Scheduler scheduler, List<GenerationOptions> options) throws Exception {
		List<Generation> generations = new ArrayList<>();
		for (CompletableFuture<Generation> result : scheduler.submitChoices(PROMPT, options, i -> TokenListener.NONE)) {
			generations.add(result.get(60, TimeUnit.SECONDS));
		}
		return generations;
	}

	@Test
	void threeGreedyChoicesPrefillThePromptOnceAndAreIdenticalToOneRunAlone() throws Exception {
		GenerationOptions greedy = GenerationOptions.GREEDY.withMaxNewTokens(10);
		Generation alone = model.generate(PROMPT, greedy);
		SchedulerMetrics metrics = new SchedulerMetrics("tiny-a");
		try (Scheduler scheduler = new Scheduler(model, 4, 4, metrics)) {
			List<Generation> three = choices(scheduler, List.of(greedy, greedy, greedy));
			assertThat(three).hasSize(3);
			for (Generation choice : three) {
				assertThat(choice.tokenIds()).isEqualTo(alone.tokenIds());
				assertThat(choice.text()).isEqualTo(alone.text());
				assertThat(choice.promptTokens()).isEqualTo(alone.promptTokens());
			}
			assertThat(prefilled(metrics)).as("the prompt's tokens were computed once for three choices")
				.isEqualTo(alone.promptTokens());
		}
	}

	@Test
	void seededChoicesDifferAndEachMatchesItsSeedRunAlone() throws Exception {
		GenerationOptions sampled = new GenerationOptions(12, 1.0, 1.0, 0, 1.0, java.util.OptionalLong.of(40),
				List.of());
		List<GenerationOptions> seeds = List.of(sampled, sampled.withSeed(41), sampled.withSeed(42));
		SchedulerMetrics metrics = new SchedulerMetrics("tiny-a");
		try (Scheduler scheduler = new Scheduler(model, 4, 4, metrics)) {
			List<Generation> three = choices(scheduler, seeds);
			for (int i = 0; i < 3; i++) {
				assertThat(three.get(i).tokenIds()).as("choice %d", i)
					.isEqualTo(model.generate(PROMPT, seeds.get(i)).tokenIds());
			}
			assertThat(three.stream().map(Generation::tokenIds).distinct()).as("seeds give different answers")
				.hasSizeGreaterThan(1);
			assertThat(prefilled(metrics)).isEqualTo(three.getFirst().promptTokens());
		}
	}

}
