package dev.sightline.vision.qwen;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.OutputControls;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TokenLogprob;
import dev.sightline.vision.constrain.JsonGrammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Output controls on tiny-a (random weights): a schema-constrained answer parses and fits the schema, greedy and
 * sampled, even though the model on its own produces noise; log-probabilities are those of the raw logits;
 * penalties change what is picked.
 */
class ConstrainedDecodeTest {

	static final ObjectMapper JSON = new ObjectMapper();

	static QwenVl model;

	static final Conversation QUESTION = Conversation.of(Message.user(new TextPart("Describe the page as JSON.")));

	@BeforeAll
	static void load() {
		model = QwenVl.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	static GenerationOptions options(int maxTokens, double temperature, OutputControls controls) {
		return new GenerationOptions(maxTokens, temperature, 1, 0, 1, OptionalLong.of(3), List.of(), controls);
	}

	@Test
	void schemaConstrainedAnswersParseAndFitTheSchema() throws Exception {
		JsonNode schema = JSON.readTree("""
				{"type": "object", "properties": {
				  "action": {"enum": ["click", "type", "done"]},
				  "x": {"type": "integer"}, "y": {"type": "integer"},
				  "text": {"type": "string", "maxLength": 20},
				  "sure": {"type": "boolean"}
				}, "required": ["action", "x", "y", "sure"]}
				""");
		OutputControls controls = new OutputControls(0, 0, OptionalInt.empty(), Optional.of(JsonGrammar.fromSchema(schema)));
		Generation free = model.generate(QUESTION, options(40, 0, OutputControls.NONE));
		assertThat(isJson(free.text())).as("tiny-a on its own: %s", free.text()).isFalse();
		for (double temperature : new double[] { 0, 1.0 }) {
			for (int maxTokens : new int[] { 60 }) {
				Generation generation = model.generate(QUESTION, options(maxTokens, temperature, controls));
				JsonNode answer = JSON.readTree(generation.text());
				assertThat(answer.path("action").asText()).isIn("click", "type", "done");
				assertThat(answer.path("x").isIntegralNumber()).isTrue();
				assertThat(answer.path("y").isIntegralNumber()).isTrue();
				assertThat(answer.path("sure").isBoolean()).isTrue();
				assertThat(answer.path("text").asText("").length()).isLessThanOrEqualTo(20);
				answer.fieldNames().forEachRemaining(name -> assertThat(schema.get("properties").has(name)).isTrue());
			}
		}
		Generation object = model.generate(QUESTION, options(60, 1.0,
				new OutputControls(0, 0, OptionalInt.empty(), Optional.of(JsonGrammar.anyObject()))));
		assertThat(JSON.readTree(object.text()).isObject()).as(object.text()).isTrue();
	}

	@Test
	void logprobsAreTheLogSoftmaxOfTheRawLogitsWithTheTopAlternatives() {
		Generation generation = model.generate(QUESTION,
				options(6, 0, new OutputControls(0, 0, OptionalInt.of(3), Optional.empty())));
		assertThat(generation.logprobs()).hasSize(generation.tokenIds().size());
		for (int i = 0; i < generation.logprobs().size(); i++) {
			TokenLogprob pick = generation.logprobs().get(i);
			assertThat(pick.tokenId()).isEqualTo(generation.tokenIds().get(i));
			assertThat(pick.top()).hasSize(3);
			// Greedy picks the most likely token, so it leads the alternatives with the same log-probability.
			assertThat(pick.top().get(0).tokenId()).isEqualTo(pick.tokenId());
			assertThat(pick.top().get(0).logprob()).isCloseTo(pick.logprob(), within(1e-9));
			assertThat(pick.logprob()).isLessThanOrEqualTo(0);
			assertThat(pick.top().get(1).logprob()).isLessThanOrEqualTo(pick.top().get(0).logprob());
		}
		assertThat(model.generate(QUESTION, options(6, 0, OutputControls.NONE)).logprobs()).isEmpty();
	}

	@Test
	void penaltiesChangeWhatGreedyPicks() {
		Generation plain = model.generate(QUESTION, options(16, 0, OutputControls.NONE));
		assertThat(plain.tokenIds().stream().distinct().count()).as("tiny-a greedily: %s", plain.tokenIds())
			.isEqualTo(plain.tokenIds().size());
		// A negative presence penalty rewards tokens already generated: greedy then repeats itself.
		Generation repeating = model.generate(QUESTION,
				options(16, 0, new OutputControls(0, -2, OptionalInt.empty(), Optional.empty())));
		assertThat(repeating.tokenIds().stream().distinct().count()).as("%s", repeating.tokenIds())
			.isLessThan(repeating.tokenIds().size());
		Generation frequency = model.generate(QUESTION,
				options(16, 0, new OutputControls(-2, 0, OptionalInt.empty(), Optional.empty())));
		assertThat(frequency.tokenIds()).isNotEqualTo(plain.tokenIds());
	}

	static boolean isJson(String text) {
		try {
			JSON.readTree(text);
			return text.strip().startsWith("{");
		}
		catch (Exception e) {
			return false;
		}
	}

}
