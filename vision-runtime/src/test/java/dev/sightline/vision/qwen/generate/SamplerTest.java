package dev.sightline.vision.qwen.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.sightline.vision.chat.FinishReason;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {

	@Test
	void greedyTakesTheFirstMaximumOnTies() {
		assertThat(new Sampler(SamplingSettings.GREEDY).next(new float[] { 1, 3, 3, 2 }, new long[0], 0)).isEqualTo(1);
	}

	@Test
	void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOncePerId() {
		float[] logits = { 2, -2, 1 };
		Sampler.penalise(logits, new long[] { 0, 1, 0 }, 3, 2);
		assertThat(logits).containsExactly(1, -4, 1);
	}

	@Test
	void repetitionPenaltyCanChangeTheGreedyChoice() {
		Sampler sampler = new Sampler(new SamplingSettings(0, 1, 0, 1.5, 0));
		assertThat(sampler.next(new float[] { 3, 2.5f }, new long[] { 0 }, 1)).isEqualTo(1);
	}

	@Test
	void sameSeedGivesTheSameSamples() {
		float[] logits = { 1, 1.1f, 0.9f, 1.05f, 0.95f };
		SamplingSettings settings = new SamplingSettings(1.0, 1, 0, 1, 1234);
		assertThat(draws(settings, logits, 50)).isEqualTo(draws(settings, logits, 50))
			.as("a near-uniform distribution is actually sampled")
			.containsAnyOf(0, 2)
			.containsAnyOf(1, 3);
	}

	@Test
	void ordersScoresFallingWithTiesByRisingIdAcrossSignsAndInfinities() {
		float[] logits = { 0.5f, -1f, Float.NEGATIVE_INFINITY, 3f, -0f, 0f, 3f, -1e30f, Float.POSITIVE_INFINITY, 0.5f };
		List<Integer> expected = new ArrayList<>();
		for (int i = 0; i < logits.length; i++) {
			expected.add(i);
		}
		expected.sort((a, b) -> Float.compare(logits[b], logits[a]));
		assertThat(Sampler.descending(logits)).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
	}

	@Test
	void topKOfOneIsGreedy() {
		float[] logits = { 1, 1.1f, 0.9f, 5, 0.95f };
		assertThat(draws(new SamplingSettings(2.0, 1, 1, 1, 7), logits, 30)).containsOnly(3);
	}

	@Test
	void topPKeepsOnlyTheNucleus() {
		// Softmax of these is ~[0.67, 0.24, 0.09]: top_p 0.7 keeps the first two, never the third.
		float[] logits = { 2, 1, 0 };
		List<Integer> drawn = draws(new SamplingSettings(1.0, 0.7, 0, 1, 99), logits, 300);
		assertThat(drawn).doesNotContain(2).contains(0, 1);
	}

	@Test
	void rejectsTopPOutsideTheUnitInterval() {
		assertThatThrownBy(() -> new SamplingSettings(1, 0, 0, 1, 0)).hasMessageContaining("topP must be within (0, 1]");
	}

	@Test
	void loopStopsAtAStopTokenAndIncludesIt() {
		int[] script = { 5, 6, 9, 7 };
		int[] at = { 0 };
		TokenStepper stepper = token -> oneHot(script[++at[0]]);
		Completion completion = GenerationLoop.run(oneHot(script[0]), new long[] { 1 }, stepper,
				new Sampler(SamplingSettings.GREEDY), Set.of(9), 10, StepListener.NONE);
		assertThat(completion.tokenIds()).containsExactly(5, 6, 9);
		assertThat(completion.finishReason()).isEqualTo(FinishReason.STOP);
	}

	@Test
	void loopStopsAtTheTokenLimit() {
		Completion completion = GenerationLoop.run(oneHot(4), new long[] { 1 }, token -> oneHot(4),
				new Sampler(SamplingSettings.GREEDY), Set.of(9), 3, StepListener.NONE);
		assertThat(completion.tokenIds()).containsExactly(4, 4, 4);
		assertThat(completion.finishReason()).isEqualTo(FinishReason.LENGTH);
	}

	@Test
	void listenerCancelsBetweenSteps() {
		int[] steps = { 0 };
		Completion completion = GenerationLoop.run(oneHot(4), new long[] { 1 }, token -> {
			steps[0]++;
			return oneHot(4);
		}, new Sampler(SamplingSettings.GREEDY), Set.of(9), 10, (token, logits) -> false);
		assertThat(completion.tokenIds()).containsExactly(4);
		assertThat(completion.finishReason()).isEqualTo(FinishReason.CANCELLED);
		assertThat(steps[0]).as("no model step after cancellation").isZero();
	}

	private static float[] oneHot(int id) {
		float[] logits = new float[10];
		logits[id] = 10;
		return logits;
	}

	private static List<Integer> draws(SamplingSettings settings, float[] logits, int n) {
		Sampler sampler = new Sampler(settings);
		List<Integer> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			out.add(sampler.next(logits.clone(), new long[0], 0));
		}
		return out;
	}

}
