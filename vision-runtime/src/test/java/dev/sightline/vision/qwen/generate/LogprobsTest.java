package dev.sightline.vision.qwen.generate;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.TokenLogprob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LogprobsTest {

	@Test
	void frequencyCountsEachOccurrenceAndPresenceCountsOnce() {
		float[] logits = { 1, 1, 1, 1 };
		Logprobs.penalise(logits, Map.of(1, 3, 2, 1), 0.5, 0.25);
		assertThat(logits).containsExactly(1f, 1 - 1.5f - 0.25f, 1 - 0.5f - 0.25f, 1f);
	}

	@Test
	void logprobsAreALogSoftmaxWithTheMostLikelyFirst() {
		float[] logits = { 0, (float) Math.log(3), 0, 0 };
		TokenLogprob pick = Logprobs.of(logits, 2, 2, id -> "t" + id);
		assertThat(pick.logprob()).isCloseTo(Math.log(1 / 6.0), within(1e-6));
		assertThat(pick.token()).isEqualTo("t2");
		assertThat(pick.top()).extracting(TokenLogprob.Alternative::tokenId).containsExactly(1, 0);
		assertThat(pick.top().get(0).logprob()).isCloseTo(Math.log(0.5), within(1e-6));
	}

}
