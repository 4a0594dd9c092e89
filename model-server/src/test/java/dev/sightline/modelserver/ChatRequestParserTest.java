package dev.sightline.modelserver;

import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VideoPart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestParserTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String PNG_URL = "data:image/png;base64,"
			+ Base64.getEncoder().encodeToString(new byte[] { (byte) 0x89, 'P', 'N', 'G' });

	private final ChatRequestParser parser = new ChatRequestParser("tiny-a", ServerOptions.defaults("m"));

	private ChatRequest parse(String json) throws Exception {
		return parser.parse(JSON.readTree(json));
	}

	@Test
	void readsRolesTextImagesAndVideoFramesInOrder() throws Exception {
		ChatRequest request = parse("""
				{"messages": [
				  {"role": "developer", "content": "be brief"},
				  {"role": "user", "content": [
				    {"type": "text", "text": "what changed?"},
				    {"type": "image_url", "image_url": {"url": "%1$s", "max_pixels": 200704}},
				    {"type": "video", "video": ["%1$s", "%1$s", "%1$s"], "fps": 4}]},
				  {"role": "assistant", "content": null}]}""".formatted(PNG_URL));

		var messages = request.conversation().messages();
		assertThat(messages).extracting(m -> m.role()).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT);
		var parts = messages.get(1).parts();
		assertThat(parts.get(0)).isEqualTo(new TextPart("what changed?"));
		ImagePart image = (ImagePart) parts.get(1);
		assertThat(image.encoded()).containsExactly(0x89, 'P', 'N', 'G');
		assertThat(image.budget()).hasValueSatisfying(b -> assertThat(b.maxPixels()).isEqualTo(200_704));
		VideoPart video = (VideoPart) parts.get(2);
		assertThat(video.frames()).extracting(f -> f.timestampSec()).containsExactly(0.0, 0.25, 0.5);
		assertThat(messages.get(2).parts()).isEmpty();
	}

	@Test
	void defaultsToGreedyDecodingCappedByTheServerLimit() throws Exception {
		ChatRequest request = parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

		assertThat(request.options().greedy()).isTrue();
		assertThat(request.options().maxNewTokens()).isEqualTo(2048);
		assertThat(request.options().seed()).isEmpty();
		assertThat(request.stream()).isFalse();
	}

	@Test
	void prefersMaxCompletionTokensAndAcceptsAStopString() throws Exception {
		ChatRequest request = parse("""
				{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 9, "max_completion_tokens": 5,
				 "stop": "END", "stream": true, "stream_options": {"include_usage": true}}""");

		assertThat(request.options().maxNewTokens()).isEqualTo(5);
		assertThat(request.options().stop()).containsExactly("END");
		assertThat(request.stream()).isTrue();
		assertThat(request.includeUsage()).isTrue();
	}

	@Test
	void refusesImagesOutsideUserMessages() {
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "%s"}}]}]}"""
			.formatted(PNG_URL))).isInstanceOfSatisfying(ApiException.class, e -> {
				assertThat(e.status()).isEqualTo(400);
				assertThat(e.param()).isEqualTo("messages[0].content[0]");
				assertThat(e.getMessage()).contains("user messages only");
			});
	}

	@Test
	void refusesNonBase64DataUrlsAndUnknownPartTypes() {
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": "data:image/png,abc"}]}]}"""))
			.isInstanceOf(ApiException.class)
			.hasMessageContaining("base64");
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}"""))
			.isInstanceOfSatisfying(ApiException.class,
					e -> assertThat(e.param()).isEqualTo("messages[0].content[0].type"));
	}

	@Test
	void refusesUnsupportedSamplingFeatures() {
		for (String field : new String[] { "\"n\": 0", "\"n\": 9", "\"presence_penalty\": 2.5",
				"\"frequency_penalty\": -3", "\"top_logprobs\": 2", "\"logprobs\": true, \"top_logprobs\": 21",
				"\"response_format\": {\"type\": \"yaml\"}", "\"top_p\": 0",
				"\"seed\": 1.5", "\"stop\": [1]", "\"stream\": \"yes\"" }) {
			assertThatThrownBy(() -> parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + field + "}"))
				.as(field)
				.isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
		}
	}

	@Test
	void readsPenaltiesLogprobsChoicesAndTheResponseFormat() throws Exception {
		ChatRequest request = parse("""
				{"messages": [{"role": "user", "content": "hi"}], "n": 3, "frequency_penalty": 0.5,
				 "presence_penalty": -1, "logprobs": true, "top_logprobs": 4,
				 "response_format": {"type": "json_schema", "json_schema": {"name": "a", "strict": true,
				   "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}}}}""");
		var controls = request.options().controls();
		assertThat(request.choices()).isEqualTo(3);
		assertThat(controls.frequencyPenalty()).isEqualTo(0.5);
		assertThat(controls.presencePenalty()).isEqualTo(-1);
		assertThat(controls.topLogprobs()).hasValue(4);
		assertThat(request.logprobs()).isTrue();
		assertThat(controls.format()).isPresent();
		var jsonObject = parse("""
				{"messages": [{"role": "user", "content": "hi"}], "logprobs": true,
				 "response_format": {"type": "json_object"}}""").options().controls();
		assertThat(jsonObject.topLogprobs()).hasValue(0);
		assertThat(jsonObject.format()).isPresent();
		assertThat(parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}").options().controls())
			.isEqualTo(dev.sightline.vision.chat.OutputControls.NONE);
	}

	@Test
	void refusesASchemaItCannotEnforceWithTheKeywordAndWhere() {
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "user", "content": "hi"}], "response_format": {"type": "json_schema",
				 "json_schema": {"name": "a", "schema": {"type": "object", "properties": {
				   "when": {"type": "string", "format": "date-time"}}}}}}"""))
			.isInstanceOfSatisfying(ApiException.class, e -> {
				assertThat(e.status()).isEqualTo(400);
				assertThat(e.code()).isEqualTo("unsupported_schema");
				assertThat(e.param()).isEqualTo("response_format.json_schema.schema");
				assertThat(e.getMessage()).contains("'format'").contains("#/properties/when/format");
			});
	}

	@Test
	void rendersToolsResultsAndEarlierCallsAndRefusesForcedCalls() throws Exception {
		String tools = "[{\"type\": \"function\", \"function\": {\"name\": \"lookup\", \"parameters\": {\"type\": \"object\"}}}]";
		ChatRequest request = parse("""
				{"tools": %s, "messages": [
				  {"role": "system", "content": "Be terse."},
				  {"role": "user", "content": "find x"},
				  {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
				    "function": {"name": "lookup", "arguments": "{\\"q\\": \\"x\\"}"}}]},
				  {"role": "tool", "tool_call_id": "c1", "content": "x=1"},
				  {"role": "tool", "tool_call_id": "c2", "content": "y=2"}]}""".formatted(tools));
		var messages = request.conversation().messages();
		assertThat(messages).extracting(m -> m.role())
			.containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
		assertThat(((TextPart) messages.get(0).parts().get(0)).text()).startsWith("Be terse.\n\n# Tools\n")
			.contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"lookup\"");
		assertThat(((TextPart) messages.get(2).parts().get(0)).text())
			.isEqualTo("<tool_call>\n{\"name\": \"lookup\", \"arguments\": {\"q\": \"x\"}}\n</tool_call>");
		assertThat(((TextPart) messages.get(3).parts().get(0)).text())
			.isEqualTo("<tool_response>\nx=1\n</tool_response>\n<tool_response>\ny=2\n</tool_response>");
		assertThat(request.tools()).containsExactly("lookup");
		assertThat(parse("{\"tools\": " + tools + ", \"tool_choice\": \"none\", \"messages\": [{\"role\": \"user\", "
				+ "\"content\": \"hi\"}]}").tools()).isEmpty();
		String hi = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
		assertThat(parse("{\"tools\": " + tools + ", \"tool_choice\": \"auto\", " + hi + "}").options().controls()
			.format()).as("auto leaves the answer free").isEmpty();
		ChatRequest required = parse("{\"tools\": " + tools + ", \"tool_choice\": \"required\", " + hi + "}");
		assertThat(required.tools()).containsExactly("lookup");
		assertThat(required.options().controls().format()).as("a forced call is decoded by a grammar").isPresent();
		assertThat(parse("{\"tools\": " + tools + ", \"tool_choice\": {\"type\": \"function\", \"function\": "
				+ "{\"name\": \"lookup\"}}, " + hi + "}").options().controls().format()).isPresent();
		for (String bad : new String[] { "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"other\"}}",
				"\"tool_choice\": {\"type\": \"tool\", \"function\": {\"name\": \"lookup\"}}",
				"\"tool_choice\": \"always\"",
				"\"tool_choice\": \"required\", \"response_format\": {\"type\": \"json_object\"}",
				"\"tools\": [{\"type\": \"code_interpreter\"}]",
				"\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"has space\"}}]" }) {
			String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
					+ (bad.startsWith("\"tools\"") ? bad : "\"tools\": " + tools + ", " + bad) + "}";
			assertThatThrownBy(() -> parse(body)).as(bad)
				.isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
		}
		assertThatThrownBy(() -> parse("{\"tool_choice\": \"required\", " + hi + "}"))
			.hasMessageContaining("needs at least one tool");
		assertThatThrownBy(() -> parse("{\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", "
				+ "\"parameters\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", "
				+ "\"pattern\": \"x\"}}}}}], \"tool_choice\": \"required\", " + hi + "}"))
			.isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unsupported_schema"))
			.hasMessageContaining("functions/f/parameters/properties/a/pattern");
	}

	@Test
	void acceptsTheServedModelNameOrNone() throws Exception {
		JsonNode named = JSON.readTree("{\"model\": \"tiny-a\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
		assertThat(parser.parse(named).conversation().messages()).hasSize(1);
	}

}
