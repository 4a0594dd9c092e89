package dev.sightline.vision.constrain;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The grammar, the recognizer and the mask: valid texts are accepted and invalid ones refused at the first wrong
 * character, and random logits over a byte-level-like vocabulary always decode into JSON that parses and fits the
 * schema within the token limit.
 */
class JsonConstraintTest {

	static final ObjectMapper JSON = new ObjectMapper();

	static final String SCHEMA = """
			{"type": "object", "properties": {
			  "name": {"type": "string", "maxLength": 12},
			  "age": {"type": "integer"},
			  "score": {"type": "number"},
			  "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "minItems": 1, "maxItems": 3},
			  "color": {"enum": ["red", "green", "blue"]},
			  "ok": {"type": "boolean"},
			  "nested": {"type": "object", "properties": {"x": {"type": "null"}}, "required": ["x"]}
			}, "required": ["name", "tags", "color", "nested"], "additionalProperties": false}
			""";

	static JsonGrammar schema() throws Exception {
		return JsonGrammar.fromSchema(JSON.readTree(SCHEMA));
	}

	@Test
	void acceptsTextsOfTheSchemaAndRefusesOthersAtTheFirstWrongCharacter() throws Exception {
		JsonGrammar grammar = schema();
		JsonRecognizer start = JsonRecognizer.start(grammar);
		assertThat(start.feed("{\"name\":\"a\\\"b\",\"age\":-12,\"tags\":[\"x\"],\"color\":\"red\",\"nested\":{\"x\":null}}")
			.complete()).isTrue();
		assertThat(start.feed("{\"name\":\"\",\"score\":1.5e-3,\"tags\":[\"\",\"yy\"],\"color\":\"blue\",\"ok\":false,"
				+ "\"nested\":{\"x\":null}}").complete()).isTrue();
		assertThat(start.feed("{\"name\":\"a\"")).isNotNull();
		assertThat(start.feed("{\"name\":\"a\"}")).as("required tags missing").isNull();
		assertThat(start.feed("{\"tags\"")).as("name comes first and is required").isNull();
		assertThat(start.feed("{ \"name\"")).as("no whitespace").isNull();
		assertThat(start.feed("{\"name\":\"a\",\"age\":1.5")).as("integer").isNull();
		assertThat(start.feed("{\"name\":\"a\",\"age\":01")).as("leading zero").isNull();
		assertThat(start.feed("{\"name\":\"abcdefghijklm")).as("maxLength 12").isNull();
		assertThat(start.feed("{\"name\":\"a\",\"tags\":[]")).as("minItems 1").isNull();
		assertThat(start.feed("{\"name\":\"a\",\"tags\":[\"a\",\"b\",\"c\",")).as("maxItems 3").isNull();
		assertThat(start.feed("{\"name\":\"a\",\"tags\":[\"a\"],\"color\":\"pink")).isNull();
		JsonRecognizer any = JsonRecognizer.start(JsonGrammar.anyObject());
		assertThat(any.feed("{\"a\":[1,{\"b\":true},\"x\",null,-0.5E+2],\"c\":{}}").complete()).isTrue();
		assertThat(any.feed("[1]")).as("json_object answers are objects").isNull();
		assertThat(any.feed("{}}")).as("nothing after the value").isNull();
	}

	@Test
	void theShortestCompletionIsExactOnTheWayThroughAValidText() throws Exception {
		String text = "{\"name\":\"\",\"tags\":[\"\"],\"color\":\"red\",\"nested\":{\"x\":null}}";
		JsonRecognizer state = JsonRecognizer.start(schema());
		assertThat(state.minRemaining()).isEqualTo(text.length());
		for (int i = 0; i < text.length(); i++) {
			state = state.feed(text.substring(i, i + 1));
			assertThat(state.minRemaining()).as("after %s", text.substring(0, i + 1)).isEqualTo(text.length() - i - 1);
		}
		assertThat(state.complete()).isTrue();
	}

	@Test
	void randomLogitsAlwaysDecodeIntoJsonThatFitsTheSchemaWithinTheTokenLimit() throws Exception {
		JsonGrammar grammar = schema();
		JsonNode schema = JSON.readTree(SCHEMA);
		String[] texts = vocabulary();
		int stop = texts.length;
		TokenTexts vocabulary = TokenTexts.fromTexts(java.util.Arrays.copyOf(texts, texts.length + 1));
		Random random = new Random(7);
		for (int run = 0; run < 200; run++) {
			int maxTokens = JsonRecognizer.start(grammar).minRemaining() + 1 + random.nextInt(60);
			String json = decode(new JsonConstraint(grammar, vocabulary, Set.of(stop)), texts, stop, maxTokens, random);
			JsonNode value = JSON.readTree(json);
			assertThat(value.isObject()).isTrue();
			assertFits(value, schema);
		}
		for (int run = 0; run < 100; run++) {
			String json = decode(new JsonConstraint(JsonGrammar.anyObject(), vocabulary, Set.of(stop)), texts, stop,
					3 + random.nextInt(80), random);
			assertThat(JSON.readTree(json).isObject()).as(json).isTrue();
		}
	}

	static final String WEATHER = """
			{"type": "object", "properties": {"city": {"type": "string", "maxLength": 8},
			 "unit": {"enum": ["c", "f"]}}, "required": ["city", "unit"], "additionalProperties": false}""";

	static JsonGrammar functions() {
		java.util.LinkedHashMap<String, String> parameters = new java.util.LinkedHashMap<>();
		parameters.put("get_weather", WEATHER);
		parameters.put("get_time", null);
		return JsonGrammar.functionCall("<tool_call>\n", parameters, "\n</tool_call>");
	}

	@Test
	void aFunctionCallIsOneOfTheNamesWithThatFunctionsArgumentsInsideTheWrapper() {
		JsonRecognizer start = JsonRecognizer.start(functions());
		String call = "<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\",\"unit\":\"c\"}}"
				+ "\n</tool_call>";
		assertThat(start.minRemaining()).as("get_time with {} is the shortest call").isEqualTo(
				"<tool_call>\n{\"name\":\"get_time\",\"arguments\":{}}\n</tool_call>".length());
		JsonRecognizer state = start;
		for (int i = 0; i < call.length(); i++) {
			state = state.feed(call.substring(i, i + 1));
			assertThat(state).as("after %s", call.substring(0, i + 1)).isNotNull();
		}
		assertThat(state.complete()).isTrue();
		assertThat(start.feed("<tool_call>\n{\"name\":\"get_time\",\"arguments\":{\"any\":[1]}}\n</tool_call>")
			.complete()).isTrue();
		assertThat(start.feed("{\"name\"")).as("the wrapper comes first").isNull();
		assertThat(start.feed("<tool_call>\n{\"name\":\"get_date\"")).as("not an offered function").isNull();
		assertThat(start.feed("<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"unit\""))
			.as("get_weather's arguments follow its schema").isNull();
		assertThat(start.feed(call.substring(0, call.length() - 1) + "x")).isNull();
	}

	@Test
	void randomLogitsAlwaysDecodeIntoACallOfAnOfferedFunctionWithValidArguments() throws Exception {
		String[] texts = java.util.stream.Stream.concat(java.util.Arrays.stream(vocabulary()),
				java.util.stream.Stream.of("<tool_call>\n", "get_", "weather", "\"city\":\"", "\n</")).toArray(String[]::new);
		int stop = texts.length;
		TokenTexts vocabulary = TokenTexts.fromTexts(java.util.Arrays.copyOf(texts, texts.length + 1));
		JsonNode weather = JSON.readTree(WEATHER);
		Random random = new Random(11);
		java.util.Set<String> names = new java.util.HashSet<>();
		for (int run = 0; run < 100; run++) {
			int maxTokens = JsonRecognizer.start(functions()).minRemaining() + 1 + random.nextInt(40);
			String text = decode(new JsonConstraint(functions(), vocabulary, Set.of(stop)), texts, stop, maxTokens,
					random);
			assertThat(text).startsWith("<tool_call>\n{").endsWith("}\n</tool_call>");
			JsonNode call = JSON.readTree(text.substring("<tool_call>\n".length(), text.length() - "\n</tool_call>".length()));
			names.add(call.path("name").asText());
			assertThat(call.path("name").asText()).isIn("get_weather", "get_time");
			assertThat(call.path("arguments").isObject()).isTrue();
			if (call.path("name").asText().equals("get_weather")) {
				assertFits(call.path("arguments"), weather);
			}
		}
		assertThat(names).as("both functions are reachable").hasSize(2);
	}

	@Test
	void aGrammarSaysWhatItWasMadeFromAndOnlyEnforceableSchemasGetOne() throws Exception {
		JsonGrammar schema = JsonGrammar.enforceable(SCHEMA).orElseThrow();
		assertThat(schema.kind()).isEqualTo(JsonGrammar.Kind.SCHEMA);
		assertThat(JSON.readTree(schema.schemaJson().orElseThrow())).isEqualTo(JSON.readTree(SCHEMA));
		assertThat(JsonGrammar.anyObject().kind()).isEqualTo(JsonGrammar.Kind.ANY_OBJECT);
		assertThat(JsonGrammar.anyObject().schemaJson()).isEmpty();
		assertThat(functions().kind()).isEqualTo(JsonGrammar.Kind.FUNCTION_CALL);
		assertThat(JsonGrammar.enforceable("{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"number\","
				+ "\"minimum\":0}}}")).as("minimum is for the validator").isEmpty();
		assertThat(JsonGrammar.enforceable("{\"type\":\"string\"}")).isEmpty();
	}

	@Test
	void refusesSchemasItCannotEnforceNamingTheKeywordAndWhere() {
		assertThatThrownBy(() -> JsonGrammar.fromSchema(JSON.readTree(
				"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"x\"}}}")))
			.isInstanceOf(UnsupportedSchemaException.class)
			.hasMessageContaining("'pattern'")
			.hasMessageContaining("#/properties/a/pattern");
		assertThatThrownBy(() -> JsonGrammar.fromSchema(JSON.readTree("{\"type\":\"string\"}")))
			.hasMessageContaining("root schema must be an object");
		java.util.LinkedHashMap<String, String> anyOf = new java.util.LinkedHashMap<>();
		anyOf.put("f", "{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[]}}}");
		assertThatThrownBy(() -> JsonGrammar.functionCall("", anyOf, ""))
			.isInstanceOf(UnsupportedSchemaException.class)
			.hasMessageContaining("functions/f/parameters/properties/a");
		assertThatThrownBy(() -> JsonGrammar.fromSchema(JSON.readTree(
				"{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}")))
			.hasMessageContaining("type unions are not supported");
		StringBuilder deep = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			deep.append("{\"type\":\"object\",\"properties\":{\"a\":");
		}
		deep.append("{\"type\":\"null\"}").append("}}".repeat(20));
		assertThatThrownBy(() -> JsonGrammar.fromSchema(JSON.readTree(deep.toString())))
			.hasMessageContaining("deeper than 16");
	}

	/** Single characters, as byte-level BPE has, plus multi-character tokens that cross JSON's structure. */
	static String[] vocabulary() {
		List<String> texts = new ArrayList<>();
		for (char c = 0x20; c < 0x7f; c++) {
			texts.add(String.valueOf(c));
		}
		texts.addAll(List.of("\":", "\",\"", "{\"", "\"}", "}}", "[\"", "\"]", "true", "false", "null", "red", "\"red\"",
				"name", "\"name\":\"", "tags", "12", "3.5", "e-", "\\n", "\\u00e9", " {", "\n", "\uFFFD", "ab", "color",
				"\":\"", "],\"", "nested", "\":{\"x\":", "abcdefghijklmnopq"));
		return texts.toArray(String[]::new);
	}

	static String decode(JsonConstraint constraint, String[] texts, int stop, int maxTokens, Random random) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < maxTokens; i++) {
			float[] logits = new float[texts.length + 1];
			for (int id = 0; id < logits.length; id++) {
				logits[id] = (float) random.nextGaussian() * 3;
			}
			constraint.mask(logits, maxTokens - i);
			int best = 0;
			for (int id = 1; id < logits.length; id++) {
				if (logits[id] > logits[best]) {
					best = id;
				}
			}
			assertThat(logits[best]).as("some token stays allowed after %s", out).isGreaterThan(Float.NEGATIVE_INFINITY);
			constraint.accept(best);
			if (best == stop) {
				return out.toString();
			}
			out.append(texts[best]);
		}
		assertThat(constraint.complete()).as("complete at the limit: %s", out).isTrue();
		return out.toString();
	}

	/** The checks of the test schema's keywords (the test tree has no JSON Schema validator). */
	static void assertFits(JsonNode value, JsonNode schema) {
		if (schema.has("enum")) {
			assertThat(schema.get("enum")).contains(value);
			return;
		}
		switch (schema.get("type").asText()) {
			case "object" -> {
				assertThat(value.isObject()).as("%s", value).isTrue();
				value.fieldNames().forEachRemaining(name -> assertThat(schema.get("properties").has(name)).isTrue());
				schema.path("required").forEach(name -> assertThat(value.has(name.asText())).as("%s", name).isTrue());
				value.fields().forEachRemaining(e -> assertFits(e.getValue(), schema.get("properties").get(e.getKey())));
			}
			case "array" -> {
				assertThat(value.isArray()).isTrue();
				assertThat(value.size()).isBetween(schema.path("minItems").asInt(0), schema.path("maxItems").asInt(99));
				value.forEach(item -> assertFits(item, schema.get("items")));
			}
			case "string" -> {
				assertThat(value.isTextual()).isTrue();
				assertThat(value.asText().length()).isLessThanOrEqualTo(schema.path("maxLength").asInt(1 << 20));
			}
			case "integer" -> assertThat(value.isIntegralNumber()).as("%s", value).isTrue();
			case "number" -> assertThat(value.isNumber()).isTrue();
			case "boolean" -> assertThat(value.isBoolean()).isTrue();
			case "null" -> assertThat(value.isNull()).isTrue();
			default -> throw new AssertionError(schema);
		}
	}

}
