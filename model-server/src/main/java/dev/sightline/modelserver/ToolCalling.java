package dev.sightline.modelserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import dev.sightline.vision.prompt.PythonJson;

/**
 * OpenAI function tools in the form Qwen2.5-VL and Qwen3-VL were trained on (Hermes style, spec §9.3): the tools
 * as one-line JSON in a {@code # Tools} block of the system message, earlier calls as
 * {@code <tool_call>\n{"name": ..., "arguments": ...}\n</tool_call>} in assistant turns, tool results as
 * {@code <tool_response>} blocks in a user turn, and the model's {@code <tool_call>} blocks read back into
 * {@code tool_calls}. The text is built here, as the tool-aware copies of the chat template write it, since the
 * published VL template has no tools section (spec §8.1); JSON is written as Python's {@code json.dumps} (the
 * template's {@code tojson}).
 */
final class ToolCalling {

	/** The system text the template puts first when a conversation has none. */
	static final String DEFAULT_SYSTEM = "You are a helpful assistant.";

	static final String OPEN = "<tool_call>";

	static final String CLOSE = "</tool_call>";

	private static final Pattern CALL = Pattern.compile("<tool_call>\\s*(\\{.*?\\})\\s*(?:</tool_call>|$)", Pattern.DOTALL);

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	private ToolCalling() {
	}

	/** One call the model made: OpenAI gives {@code arguments} as a JSON string. */
	record Call(String id, String name, String arguments) {
	}

	/** The model's answer split into free text (before the first call; may be empty) and calls. */
	record Parsed(String content, List<Call> calls) {
	}

	/** The system text with the tools block after it. */
	static String systemWithTools(String system, List<JsonNode> tools) {
		StringBuilder text = new StringBuilder(system);
		text.append("\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n")
			.append("You are provided with function signatures within <tools></tools> XML tags:\n<tools>");
		for (JsonNode tool : tools) {
			text.append('\n').append(PythonJson.dumps(toMap(tool)));
		}
		text.append("\n</tools>\n\nFor each function call, return a json object with function name and arguments "
				+ "within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
				+ "<args-json-object>}\n</tool_call>");
		return text.toString();
	}

	/** An earlier assistant turn that called tools: its text, then each call as the model writes it. */
	static String assistantTurn(String content, JsonNode toolCalls, String param) {
		StringBuilder text = new StringBuilder(content);
		for (int i = 0; i < toolCalls.size(); i++) {
			JsonNode function = toolCalls.get(i).path("function");
			String name = function.path("name").asText("");
			if (name.isEmpty()) {
				throw ApiException.invalid(param + ".tool_calls[" + i + "].function.name", "a tool call needs a name");
			}
			JsonNode arguments = function.path("arguments");
			Object args;
			try {
				args = arguments.isTextual() ? OpenAiResponses.JSON.readValue(arguments.asText(), Object.class)
						: OpenAiResponses.JSON.convertValue(arguments, Object.class);
			}
			catch (JacksonException e) {
				throw ApiException.invalid(param + ".tool_calls[" + i + "].function.arguments",
						"arguments must be a JSON object (as a string), got " + arguments);
			}
			Map<String, Object> call = new LinkedHashMap<>();
			call.put("name", name);
			call.put("arguments", args);
			if (!text.isEmpty()) {
				text.append('\n');
			}
			text.append(OPEN).append('\n').append(PythonJson.dumps(call)).append('\n').append(CLOSE);
		}
		return text.toString();
	}

	/** A tool result as the template writes it inside a user turn. */
	static String toolResponse(String content) {
		return "<tool_response>\n" + content + "\n</tool_response>";
	}

	/**
	 * Reads the model's {@code <tool_call>} blocks (a missing close tag at the end is tolerated, spec §9.6); calls
	 * whose JSON does not parse or names no offered tool are left in the text. No call: the whole text is content.
	 */
	static Parsed parse(String text, Set<String> names) {
		int first = text.indexOf(OPEN);
		if (first < 0) {
			return new Parsed(text, List.of());
		}
		List<Call> calls = new ArrayList<>();
		Matcher matcher = CALL.matcher(text);
		while (matcher.find()) {
			try {
				JsonNode call = OpenAiResponses.JSON.readTree(matcher.group(1));
				String name = call.path("name").asText("");
				JsonNode arguments = call.path("arguments");
				if (!names.contains(name) || !(arguments.isObject() || arguments.isMissingNode())) {
					return new Parsed(text, List.of());
				}
				calls.add(new Call("call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24), name,
						arguments.isMissingNode() ? "{}" : OpenAiResponses.JSON.writeValueAsString(arguments)));
			}
			catch (JacksonException e) {
				return new Parsed(text, List.of());
			}
		}
		if (calls.isEmpty()) {
			return new Parsed(text, List.of());
		}
		return new Parsed(text.substring(0, first).strip(), calls);
	}

	private static Object toMap(JsonNode tool) {
		return OpenAiResponses.JSON.convertValue(tool, MAP);
	}

}
