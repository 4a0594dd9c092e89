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
			TokenTexts vocabulary = TokenTexts.fromBytes(tokenizer.tokenBytes(151_936));
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

	/**
	 * Random walks under the mask over the real vocabulary, with the tokens that hold part of a character favoured so
	 * strings are often written byte by byte: the bytes of the picked tokens always decode as strict UTF-8 (no
	 * malformed or cut-off character) and the text parses as JSON that fits the schema.
	 */
	@Test
	void walksFavouringPartialCharacterTokensAlwaysWriteStrictUtf8() throws Exception {
		try (QwenTokenizer tokenizer = QwenTokenizer.fromClasspath(QwenTokenizer.BUNDLED_QWEN2_5)) {
			byte[][] bytes = tokenizer.tokenBytes(151_936);
			TokenTexts vocabulary = TokenTexts.fromBytes(bytes);
			int imEnd = (int) tokenizer.tokenId(QwenTokenizer.IM_END);
			boolean[] partial = new boolean[bytes.length];
			int partials = 0;
			for (int id = 0; id < bytes.length; id++) {
				String text = vocabulary.text(id);
				partial[id] = text != null && text.indexOf('\uFFFD') >= 0;
				partials += partial[id] ? 1 : 0;
			}
			assertThat(partials).as("Qwen's vocabulary has thousands of partial-character tokens").isGreaterThan(1000);
			String schemaText = """
					{"type": "object", "properties": {"name": {"type": "string"}, "tags": {"type": "array",
					 "items": {"type": "string"}, "maxItems": 3}}, "required": ["name", "tags"]}""";
			JsonGrammar grammar = JsonGrammar.fromSchema(schemaText);
			JsonNode schema = JsonConstraintTest.JSON.readTree(schemaText);
			Random random = new Random(5);
			int partialPicks = 0;
			for (int run = 0; run < 6; run++) {
				JsonConstraint constraint = new JsonConstraint(grammar, vocabulary, Set.of(imEnd));
				java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
				int maxTokens = 60;
				for (int i = 0; i < maxTokens; i++) {
					float[] logits = new float[151_936];
					for (int id = 0; id < logits.length; id++) {
						logits[id] = (float) random.nextGaussian() * 3 + (partial[id] ? 12 : 0);
					}
					constraint.mask(logits, maxTokens - i);
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
					partialPicks += partial[best] ? 1 : 0;
					out.write(bytes[best]);
				}
				String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
					.onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
					.decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
					.toString();
				JsonConstraintTest.assertFits(JsonConstraintTest.JSON.readTree(text), schema);
			}
			assertThat(partialPicks).as("the walks wrote characters byte by byte").isGreaterThan(20);
		}
	}

}
