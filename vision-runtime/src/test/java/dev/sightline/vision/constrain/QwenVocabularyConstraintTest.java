package dev.sightline.vision.constrain;

import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.tokenizer.QwenTokenizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mask over Qwen2.5's real 151,936-id vocabulary (byte-level tokens, partial UTF-8 characters, added tokens):
 * random logits decode into JSON that fits the schema, the decoded ids give back the same text, and the time one
 * mask takes is reported.
 */
class QwenVocabularyConstraintTest {

	@Test
	void randomLogitsOverQwensVocabularyDecodeIntoSchemaValidJson() throws Exception {
		try (QwenTokenizer tokenizer = QwenTokenizer.fromClasspath(QwenTokenizer.BUNDLED_QWEN2_5)) {
			long start = System.nanoTime();
			TokenTexts vocabulary = new TokenTexts(tokenizer.tokenTexts(151_936));
			double vocabularyMs = (System.nanoTime() - start) / 1e6;
			int imEnd = (int) tokenizer.tokenId(QwenTokenizer.IM_END);
			assertThat(vocabulary.text(imEnd)).isNull();
			assertThat(vocabulary.text(151_935)).as("past the tokenizer").isNull();
			JsonGrammar grammar = JsonGrammar.fromSchema(JsonConstraintTest.JSON.readTree(JsonConstraintTest.SCHEMA));
			JsonNode schema = JsonConstraintTest.JSON.readTree(JsonConstraintTest.SCHEMA);
			Random random = new Random(11);
			long maskNanos = 0;
			int masks = 0;
			for (int run = 0; run < 3; run++) {
				JsonConstraint constraint = new JsonConstraint(grammar, vocabulary, Set.of(imEnd));
				StringBuilder ids = new StringBuilder();
				java.util.List<Long> picked = new java.util.ArrayList<>();
				int maxTokens = 80;
				for (int i = 0; i < maxTokens; i++) {
					float[] logits = new float[151_936];
					for (int id = 0; id < logits.length; id++) {
						logits[id] = (float) random.nextGaussian() * 3;
					}
					long t = System.nanoTime();
					constraint.mask(logits, maxTokens - i);
					maskNanos += System.nanoTime() - t;
					masks++;
					int best = 0;
					for (int id = 1; id < logits.length; id++) {
						if (logits[id] > logits[best]) {
							best = id;
						}
					}
					constraint.accept(best);
					if (best == imEnd) {
						break;
					}
					picked.add((long) best);
				}
				String text = tokenizer.decode(picked.stream().mapToLong(Long::longValue).toArray());
				ids.append(text);
				JsonConstraintTest.assertFits(JsonConstraintTest.JSON.readTree(text), schema);
			}
			System.out.printf("Qwen2.5 vocabulary: texts decoded in %.0f ms; one mask %.1f ms on average over %d steps%n",
					vocabularyMs, maskNanos / 1e6 / masks, masks);
		}
	}

}
