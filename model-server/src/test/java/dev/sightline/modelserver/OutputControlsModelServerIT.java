package dev.sightline.modelserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenVl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI fields beyond plain sampling, against the real runtime on tiny-a (random weights, so its free text is
 * noise): a {@code json_schema} answer parses and fits the schema, {@code json_object} gives an object, {@code n}
 * gives that many choices (streamed too), {@code logprobs} come in OpenAI's shape.
 */
class OutputControlsModelServerIT {

	private static final Path TINY_A = Path.of("../vision-runtime/src/test/resources/golden/qwen2_5_vl/models/tiny-a");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static QwenVl model;

	private static ModelServer server;

	@BeforeAll
	static void start() {
		model = QwenVl.load(TINY_A, LoadOptions.DEFAULTS);
		server = ModelServer.start(ServerOptions.defaults(TINY_A.toString()).withPort(0), model,
				ModelLocator.defaultName(TINY_A.toString(), TINY_A));
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
		if (model != null) {
			model.close();
		}
	}

	static HttpResponse<String> post(String body) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void jsonSchemaAnswersParseAndFitTheSchemaForEveryChoice() throws Exception {
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": "Where do I click?"}], "max_tokens": 60, "n": 2,
				 "temperature": 1, "seed": 5,
				 "response_format": {"type": "json_schema", "json_schema": {"name": "click", "strict": true, "schema": {
				   "type": "object", "additionalProperties": false, "required": ["x", "y", "label"],
				   "properties": {"x": {"type": "integer"}, "y": {"type": "integer"},
				                  "label": {"type": "string", "maxLength": 10}}}}}}""");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode choices = JSON.readTree(response.body()).path("choices");
		assertThat(choices).hasSize(2);
		for (int i = 0; i < 2; i++) {
			assertThat(choices.get(i).path("index").asInt()).isEqualTo(i);
			String content = choices.get(i).at("/message/content").asText();
			assertThat(content).as("valid UTF-8 by construction: no broken bytes shown as U+FFFD")
				.doesNotContain("\uFFFD");
			JsonNode answer = JSON.readTree(content);
			assertThat(answer.path("x").isIntegralNumber()).as("%s", answer).isTrue();
			assertThat(answer.path("y").isIntegralNumber()).isTrue();
			assertThat(answer.path("label").asText().length()).isLessThanOrEqualTo(10);
			assertThat(answer.size()).isEqualTo(3);
		}
		JsonNode usage = JSON.readTree(response.body()).path("usage");
		assertThat(usage.path("completion_tokens").asInt()).isEqualTo(
				usage.path("total_tokens").asInt() - usage.path("prompt_tokens").asInt());
	}

	@Test
	void jsonObjectAnswersAreObjectsAndUnsupportedSchemasAreRefused() throws Exception {
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": "JSON please"}], "max_tokens": 40,
				 "response_format": {"type": "json_object"}}""");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isObject())
			.isTrue();
		HttpResponse<String> refused = post("""
				{"messages": [{"role": "user", "content": "x"}], "response_format": {"type": "json_schema",
				 "json_schema": {"name": "a", "schema": {"type": "object", "properties": {"a": {"$ref": "#/x"}}}}}}""");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("unsupported_schema");
	}

	@Test
	void logprobsComeInOpenAisShapeAndWithEachStreamedDelta() throws Exception {
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 5, "logprobs": true,
				 "top_logprobs": 2}""");
		JsonNode choice = JSON.readTree(response.body()).at("/choices/0");
		JsonNode content = choice.at("/logprobs/content");
		assertThat(content.size()).isBetween(1, 5);
		for (JsonNode token : content) {
			assertThat(token.path("logprob").asDouble()).isLessThanOrEqualTo(0);
			assertThat(token.path("bytes").isArray()).isTrue();
			assertThat(token.path("top_logprobs")).hasSize(2);
		}
		HttpResponse<String> stream = post("""
				{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 5, "logprobs": true, "n": 2,
				 "stream": true, "stream_options": {"include_usage": true}}""");
		List<JsonNode> chunks = new ArrayList<>();
		for (String line : stream.body().split("\n")) {
			if (line.startsWith("data: {")) {
				chunks.add(JSON.readTree(line.substring(6)));
			}
		}
		assertThat(stream.body()).endsWith("data: [DONE]\n\n");
		StringBuilder[] texts = { new StringBuilder(), new StringBuilder() };
		int[] tokens = new int[2];
		int deltasWithLogprobs = 0;
		int finishes = 0;
		for (JsonNode chunk : chunks) {
			for (JsonNode c : chunk.path("choices")) {
				texts[c.path("index").asInt()].append(c.at("/delta/content").asText(""));
				JsonNode logprobs = c.at("/logprobs/content");
				tokens[c.path("index").asInt()] += logprobs.size();
				if (c.path("finish_reason").isNull() && !logprobs.isEmpty()) {
					// Streamed as OpenAI does: a delta carries its own tokens, before the choice ends.
					deltasWithLogprobs++;
					assertThat(c.at("/delta/content").isTextual()).as("%s", c).isTrue();
					assertThat(logprobs.get(0).path("logprob").asDouble()).isLessThanOrEqualTo(0);
				}
				if (!c.path("finish_reason").isNull()) {
					finishes++;
				}
			}
		}
		assertThat(finishes).isEqualTo(2);
		assertThat(deltasWithLogprobs).isGreaterThanOrEqualTo(2);
		int completion = chunks.getLast().at("/usage/completion_tokens").asInt();
		assertThat(completion).isBetween(2, 10);
		// Every generated token's log-probabilities went out exactly once, with a delta or the last chunk.
		assertThat(tokens[0] + tokens[1]).isEqualTo(completion);
		assertThat(tokens[0]).isBetween(1, 5);
		assertThat(tokens[1]).isBetween(1, 5);
	}


	private static final String FUNCTIONS = """
			[{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
			  "parameters": {"type": "object", "additionalProperties": false, "required": ["city", "unit"],
			    "properties": {"city": {"type": "string", "maxLength": 12}, "unit": {"enum": ["c", "f"]}}}}},
			 {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object",
			    "properties": {}}}}]""";

	@Test
	void toolChoiceRequiredGivesAValidCallOfAnOfferedToolForEveryChoiceEvenFromRandomWeights() throws Exception {
		// tiny-a has random weights: without the grammar it never writes a call; with it, every answer is one.
		HttpResponse<String> response = post("""
				{"messages": [{"role": "user", "content": "Weather in Oslo?"}], "max_tokens": 80, "n": 3,
				 "temperature": 1, "seed": 3, "tools": %s, "tool_choice": "required"}""".formatted(FUNCTIONS));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		for (JsonNode choice : JSON.readTree(response.body()).path("choices")) {
			assertThat(choice.path("finish_reason").asText()).as("%s", choice).isEqualTo("tool_calls");
			JsonNode call = choice.at("/message/tool_calls/0/function");
			assertThat(call.path("name").asText()).isIn("get_weather", "get_time");
			JsonNode arguments = JSON.readTree(call.path("arguments").asText());
			if (call.path("name").asText().equals("get_weather")) {
				assertThat(arguments.path("city").isTextual()).as("%s", arguments).isTrue();
				assertThat(arguments.path("city").asText().length()).isLessThanOrEqualTo(12);
				assertThat(arguments.path("unit").asText()).isIn("c", "f");
				assertThat(arguments.size()).isEqualTo(2);
			}
			else {
				assertThat(arguments.isObject()).isTrue();
			}
		}
	}

	@Test
	void aNamedToolChoiceCallsThatToolWholeAndStreamed() throws Exception {
		String named = """
				{"messages": [{"role": "user", "content": "Weather?"}], "max_tokens": 80, "temperature": 1, "seed": 9,
				 "tools": %s, "tool_choice": {"type": "function", "function": {"name": "get_weather"}}%s}""";
		HttpResponse<String> response = post(named.formatted(FUNCTIONS, ""));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode choice = JSON.readTree(response.body()).at("/choices/0");
		assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
		assertThat(choice.at("/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
		assertThat(JSON.readTree(choice.at("/message/tool_calls/0/function/arguments").asText()).path("unit").asText())
			.isIn("c", "f");

		HttpResponse<String> stream = post(named.formatted(FUNCTIONS, ", \"stream\": true"));
		String finish = null;
		List<JsonNode> calls = new ArrayList<>();
		for (String line : stream.body().split("\n")) {
			if (line.startsWith("data: {")) {
				JsonNode c = JSON.readTree(line.substring(6)).at("/choices/0");
				c.at("/delta/tool_calls").forEach(calls::add);
				if (!c.path("finish_reason").isNull()) {
					finish = c.path("finish_reason").asText();
				}
			}
		}
		assertThat(finish).isEqualTo("tool_calls");
		assertThat(calls).hasSize(1);
		assertThat(calls.getFirst().at("/function/name").asText()).isEqualTo("get_weather");
		assertThat(JSON.readTree(calls.getFirst().at("/function/arguments").asText()).path("city").isTextual()).isTrue();
	}

	static double prefilledTokens() throws Exception {
		String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
		java.util.regex.Matcher matcher = java.util.regex.Pattern
			.compile("sightline_model_prompt_prefilled_tokens_total\\{[^}]*} ([0-9.E]+)")
			.matcher(metrics);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	@Test
	void nChoicesShareOnePrefillGreedyOnesAreIdenticalAndSeededOnesDiffer() throws Exception {
		// A prompt no earlier request began with, so the prefix cache holds none of it.
		String prompt = java.util.UUID.randomUUID() + " name three colours";
		double before = prefilledTokens();
		HttpResponse<String> greedy = post("""
				{"messages": [{"role": "user", "content": "%s"}], "max_tokens": 8, "n": 3}""".formatted(prompt));
		assertThat(greedy.statusCode()).as(greedy.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(greedy.body());
		JsonNode choices = body.path("choices");
		assertThat(choices).hasSize(3);
		assertThat(choices.get(1).at("/message/content")).isEqualTo(choices.get(0).at("/message/content"));
		assertThat(choices.get(2).at("/message/content")).isEqualTo(choices.get(0).at("/message/content"));
		assertThat(prefilledTokens() - before).as("the prompt is prefilled once for three choices")
			.isEqualTo(body.at("/usage/prompt_tokens").asDouble());

		HttpResponse<String> seeded = post("""
				{"messages": [{"role": "user", "content": "%s again"}], "max_tokens": 12, "n": 3, "temperature": 1,
				 "seed": 17, "return_token_ids": true}""".formatted(prompt));
		java.util.Set<String> answers = new java.util.HashSet<>();
		for (JsonNode choice : JSON.readTree(seeded.body()).path("choices")) {
			answers.add(choice.path("token_ids").toString());
		}
		assertThat(answers).as("seed + i per choice gives different answers").hasSizeGreaterThan(1);
	}
}
