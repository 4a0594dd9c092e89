package dev.sightline.vision.qwen;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.text.TextDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Prefill attention chunked over queries (a score budget of a few query rows) gives the logits of unchunked
 * attention, for an image prompt and for a prompt fed in two parts (the second part's mask starts past the cache).
 */
class BoundedPrefillAttentionTest {

	static QwenModel model;

	@BeforeAll
	static void load() {
		model = QwenModel.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void chunkedPrefillAttentionMatchesWholeAttentionOnAnImagePrompt() {
		ModelInputs inputs = TinyCheckpoints.inputs("lm_a_image_multiwin");
		int length = inputs.inputIds().length;
		float[] whole;
		long[][] positions;
		try (QwenSequence sequence = model.newSequence(length)) {
			whole = sequence.prefill(inputs, true);
			positions = sequence.prefillPositions();
		}
		// Room for 3 query rows per chunk: many chunks and a shorter last one.
		TextDecoder chunked = model.textWithScoreBudget(3L * model.config().text().numAttentionHeads() * length);
		try (NDManager scope = model.newRequestManager()) {
			NDArray images = model.encodeVision(scope, inputs.pixelValues(), inputs.imageGrids());
			NDArray embeds = model.embedPrompt(scope, inputs.inputIds(), images, null);
			KvCache cache = model.newCache(scope, length);
			float[] logits = chunked.logits(chunked.forward(embeds, positions, cache)).toFloatArray();
			assertClose(logits, whole);
		}
	}

	@Test
	void chunkedAttentionMasksCorrectlyAfterEarlierTokensAreCached() {
		ModelInputs inputs = TinyCheckpoints.inputs("lm_a_text");
		long[] ids = inputs.inputIds();
		int length = ids.length;
		int first = length / 2;
		float[] whole;
		try (QwenSequence sequence = model.newSequence(length)) {
			whole = sequence.prefill(inputs, true);
		}
		TextDecoder chunked = model.textWithScoreBudget(2L * model.config().text().numAttentionHeads() * length);
		try (NDManager scope = model.newRequestManager()) {
			KvCache cache = model.newCache(scope, length);
			NDArray head = chunked.forward(model.text().embed(scope, java.util.Arrays.copyOf(ids, first)),
					textPositions(0, first), cache);
			NDArray tail = chunked.forward(
					model.text().embed(scope, java.util.Arrays.copyOfRange(ids, first, length)),
					textPositions(first, length), cache);
			float[] logits = chunked.logits(head.concat(tail)).toFloatArray();
			assertClose(logits, whole);
		}
	}

	@Test
	void rejectsAnEmptyScoreBudget() {
		assertThatThrownBy(() -> model.textWithScoreBudget(0)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("scoreBudgetElements must be at least 1");
	}

	private static long[][] textPositions(int from, int to) {
		long[] axis = new long[to - from];
		for (int i = 0; i < axis.length; i++) {
			axis[i] = from + i;
		}
		return new long[][] { axis, axis, axis };
	}

	private static void assertClose(float[] actual, float[] expected) {
		assertThat(actual).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
		}
	}

}
