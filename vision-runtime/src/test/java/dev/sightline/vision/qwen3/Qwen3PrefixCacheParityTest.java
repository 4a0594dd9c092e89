package dev.sightline.vision.qwen3;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.prefix.PrefixParity;

/**
 * Qwen3-VL on tiny-a: a prompt whose prefix comes from the prefix cache gives the logits of a full prefill within
 * 1e-4 (float32) — DeepStack rows included, which a partly cached image must still add to its uncached pads — for
 * a text prefix, a prefix holding a whole image, a prefix ending inside an image and another image in the same
 * place.
 */
class Qwen3PrefixCacheParityTest {

	static Qwen3Model model;

	@BeforeAll
	static void load() {
		model = Qwen3Model.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void aCachedTextPrefixGivesTheLogitsOfAFullPrefill() {
		PrefixParity.assertTextPrefix(model, Qwen3VlTest.caseInputs("lm_a_text").inputIds());
	}

	@Test
	void aCachedPrefixHoldingAWholeImageSkipsItsEncodeAndGivesTheSameLogits() {
		PrefixParity.assertImagePrefix(model, Qwen3VlTest.caseInputs("lm_a_image"),
				Qwen3VlTest.caseInputs("lm_a_text").inputIds(), model.config().tokens().imageTokenId());
	}

	@Test
	void aCachedPrefixEndingInsideAnImageGivesTheSameLogits() {
		PrefixParity.assertPrefixEndingInsideImage(model, Qwen3VlTest.caseInputs("lm_a_image"),
				Qwen3VlTest.caseInputs("lm_a_text").inputIds(), model.config().tokens().imageTokenId());
	}

	@Test
	void anotherImageOfTheSameSizeReusesOnlyTheTextBeforeIt() {
		PrefixParity.assertAnotherImageReusesOnlyTheTextBeforeIt(model, Qwen3VlTest.caseInputs("lm_a_image"), Qwen3VlTest.caseInputs("lm_a_text").inputIds(),
				model.config().tokens().imageTokenId());
	}

}
