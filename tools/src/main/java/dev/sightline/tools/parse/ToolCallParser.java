package dev.sightline.tools.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;

/**
 * Turns a model's raw output into actions (spec §9.6). Tolerates what real Qwen2.5-VL outputs look like: one or
 * several {@code <tool_call>} blocks, a missing closing tag, code fences, reasoning text around the call, a trailing
 * {@code <|im_end|>}, JSON with single quotes or trailing commas, {@code arguments} as a double-encoded string,
 * coordinates as ints, floats or strings, and plain grounding answers ({@code bbox_2d} → a left click on its centre,
 * {@code point_2d} → a left click there). Anything else is an {@link UnparseableOutputException} that keeps the raw
 * text. Thread-safe and stateless.
 */
public final class ToolCallParser {

	/** Far above any real tool call; bounds the work hostile or runaway output can cause. */
	public static final int MAX_OUTPUT_CHARS = 65_536;

	/** Bare-JSON candidates tried when there is no {@code <tool_call>} tag. */
	private static final int MAX_BARE_CANDIDATES = 32;

	/** At most this many actions from one output; more is a runaway generation, not a plan. */
	public static final int MAX_ACTIONS = 16;

	private static final String OPEN = "<tool_call>";

	private static final String CLOSE = "</tool_call>";

	private static final Set<String> TOOL_NAMES = Set.of("computer_use", "computer", "mobile_use", "browser_use");

	public List<Action> parse(String rawModelOutput) {
		if (rawModelOutput.length() > MAX_OUTPUT_CHARS) {
			throw new UnparseableOutputException(Reason.TOO_LONG, "model output has " + rawModelOutput.length()
					+ " characters, more than the limit of " + MAX_OUTPUT_CHARS, abbreviate(rawModelOutput));
		}
		String text = rawModelOutput.replace("<|im_end|>", "").replace("<|endoftext|>", "");
		List<Action> actions = text.contains(OPEN) ? fromTaggedCalls(text, rawModelOutput)
				: fromBareJson(text, rawModelOutput);
		if (actions.size() > MAX_ACTIONS) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT,
					"model output holds " + actions.size() + " actions, more than the limit of " + MAX_ACTIONS,
					rawModelOutput);
		}
		return actions;
	}

	private List<Action> fromTaggedCalls(String text, String raw) {
		List<Action> actions = new ArrayList<>();
		int from = text.indexOf(OPEN);
		int block = 0;
		while (from >= 0) {
			block++;
			if (block > MAX_ACTIONS) {
				throw new UnparseableOutputException(Reason.INVALID_ARGUMENT,
						"model output holds more than " + MAX_ACTIONS + " <tool_call> blocks", raw);
			}
			int bodyStart = from + OPEN.length();
			int next = text.indexOf(OPEN, bodyStart);
			int close = text.indexOf(CLOSE, bodyStart);
			int bodyEnd = minPositive(next, close, text.length());
			String body = text.substring(bodyStart, bodyEnd);
			int start = firstJsonStart(body);
			if (start < 0) {
				if (body.isBlank() && next < 0 && !actions.isEmpty()) {
					break;
				}
				throw new UnparseableOutputException(Reason.MALFORMED_JSON,
						"<tool_call> block " + block + " holds no JSON object", raw);
			}
			String json = JsonSpans.valueAt(body, start);
			if (json == null) {
				throw new UnparseableOutputException(Reason.MALFORMED_JSON,
						"<tool_call> block " + block + " holds an unbalanced or cut-off JSON object", raw);
			}
			actions.addAll(actionsOf(readJson(json, raw, "<tool_call> block " + block), raw));
			from = next;
		}
		return actions;
	}

	private List<Action> fromBareJson(String text, String raw) {
		int attempts = 0;
		UnparseableOutputException firstProblem = null;
		for (int start = firstJsonStart(text); start >= 0 && attempts < MAX_BARE_CANDIDATES;
				start = nextJsonStart(text, start + 1)) {
			attempts++;
			String json = JsonSpans.valueAt(text, start);
			if (json == null) {
				continue;
			}
			JsonNode node;
			try {
				node = LenientJson.read(json);
			}
			catch (JsonProcessingException ex) {
				continue;
			}
			if (!looksLikeCall(node)) {
				continue;
			}
			try {
				return actionsOf(node, raw);
			}
			catch (UnparseableOutputException ex) {
				if (firstProblem == null) {
					firstProblem = ex;
				}
			}
		}
		if (firstProblem != null) {
			throw firstProblem;
		}
		throw new UnparseableOutputException(Reason.NO_TOOL_CALL,
				"no <tool_call> block and no JSON action or grounding answer in the model output", raw);
	}

	private static boolean looksLikeCall(JsonNode node) {
		JsonNode first = node.isArray() && !node.isEmpty() ? node.get(0) : node;
		return first.isObject() && (first.has("name") || first.has("action") || first.has("arguments")
				|| first.has("bbox_2d") || first.has("point_2d"));
	}

	private static JsonNode readJson(String json, String raw, String where) {
		try {
			return LenientJson.read(json);
		}
		catch (JsonProcessingException ex) {
			throw new UnparseableOutputException(Reason.MALFORMED_JSON,
					where + " is not readable JSON: " + ex.getOriginalMessage(), raw, ex);
		}
	}

	private List<Action> actionsOf(JsonNode node, String raw) {
		if (node.isArray()) {
			if (node.isEmpty()) {
				throw new UnparseableOutputException(Reason.NO_TOOL_CALL, "the JSON list is empty", raw);
			}
			if (isGrounding(node.get(0))) {
				// A grounding list names the element(s) the model sees; the first is its answer.
				return List.of(groundingClick(node.get(0), raw));
			}
			List<Action> actions = new ArrayList<>();
			for (JsonNode element : node) {
				actions.addAll(actionsOf(element, raw));
				if (actions.size() > MAX_ACTIONS) {
					break;
				}
			}
			return actions;
		}
		if (!node.isObject()) {
			throw new UnparseableOutputException(Reason.MALFORMED_JSON,
					"a tool call must be a JSON object, got " + ArgumentReader.clip(node), raw);
		}
		if (isGrounding(node)) {
			return List.of(groundingClick(node, raw));
		}
		return List.of(callOf(node, raw));
	}

	private static boolean isGrounding(JsonNode node) {
		return node.isObject() && (node.has("bbox_2d") || node.has("point_2d")) && !node.has("action");
	}

	private static Action groundingClick(JsonNode node, String raw) {
		try {
			return new LeftClick(GroundingParser.pointOf(node));
		}
		catch (IllegalArgumentException ex) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, ex.getMessage(), raw, ex);
		}
	}

	private static Action callOf(JsonNode call, String raw) {
		JsonNode args = call;
		JsonNode name = call.get("name");
		if (name != null) {
			String tool = name.asText();
			if (!TOOL_NAMES.contains(tool)) {
				throw new UnparseableOutputException(Reason.UNKNOWN_ACTION,
						"unknown function '" + ArgumentReader.clip(tool) + "'; the only tool is computer_use", raw);
			}
			JsonNode arguments = call.get("arguments");
			if (arguments == null) {
				arguments = call.get("parameters");
			}
			if (arguments != null && arguments.isTextual()) {
				// Some servers double-encode: "arguments": "{\"action\": ...}".
				arguments = readJson(arguments.asText(), raw, "the arguments string");
			}
			if (arguments != null) {
				args = arguments;
			}
		}
		if (!args.isObject()) {
			throw new UnparseableOutputException(Reason.MALFORMED_JSON,
					"arguments must be a JSON object, got " + ArgumentReader.clip(args), raw);
		}
		try {
			return ActionReader.read(args);
		}
		catch (ActionReader.UnknownActionException ex) {
			throw new UnparseableOutputException(Reason.UNKNOWN_ACTION, ex.getMessage(), raw, ex);
		}
		catch (IllegalArgumentException | ToolsException ex) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, ex.getMessage(), raw, ex);
		}
	}

	private static int firstJsonStart(String text) {
		return nextJsonStart(text, 0);
	}

	private static int nextJsonStart(String text, int from) {
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '{' || c == '[') {
				return i;
			}
		}
		return -1;
	}

	private static int minPositive(int a, int b, int otherwise) {
		int min = otherwise;
		if (a >= 0) {
			min = Math.min(min, a);
		}
		if (b >= 0) {
			min = Math.min(min, b);
		}
		return min;
	}

	static String abbreviate(@Nullable String text) {
		if (text == null) {
			return "";
		}
		return text.length() <= 4096 ? text : text.substring(0, 4096) + "...";
	}

}
