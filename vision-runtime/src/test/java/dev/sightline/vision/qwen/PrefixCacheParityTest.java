package dev.sightline.vision.qwen;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.prefix.PrefixParity;

/**
 * Qwen2.5-VL on tiny-a: a prompt whose prefix comes from the prefix cache gives the logits of a full prefill
 * within 1e-4 (float32), for a text prefix, a prefix holding a whole image, a prefix ending inside an image and another image in
 * the same place.
 */
class PrefixCacheParityTest {

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
	void aCachedTextPrefixGivesTheLogitsOfAFullPrefill() {
		PrefixParity.assertTextPrefix(model, TinyCheckpoints.inputs("lm_a_text").inputIds());
	}

	@Test
	void aCachedPrefixHoldingAWholeImageSkipsItsEncodeAndGivesTheSameLogits() {
		PrefixParity.assertImagePrefix(model, TinyCheckpoints.inputs("lm_a_image"),
				TinyCheckpoints.inputs("lm_a_text").inputIds(), model.config().tokens().imageTokenId());
	}

	@Test
	void aCachedPrefixEndingInsideAnImageGivesTheSameLogits() {
		PrefixParity.assertPrefixEndingInsideImage(model, TinyCheckpoints.inputs("lm_a_image_multiwin"),
				TinyCheckpoints.inputs("lm_a_text").inputIds(), model.config().tokens().imageTokenId());
	}

	@Test
	void theSameImageAfterOtherTextReusesItsVisionFeaturesAndGivesTheSameLogits() {
		PrefixParity.assertSameImageElsewhereReusesItsFeatures(model, TinyCheckpoints.inputs("lm_a_image_multiwin"),
				TinyCheckpoints.inputs("lm_a_text").inputIds());
	}

	@Test
	void anotherImageOfTheSameSizeReusesOnlyTheTextBeforeIt() {
		PrefixParity.assertAnotherImageReusesOnlyTheTextBeforeIt(model, TinyCheckpoints.inputs("lm_a_image"), TinyCheckpoints.inputs("lm_a_text").inputIds(),
				model.config().tokens().imageTokenId());
	}

}
