package dev.sightline.tools.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;

/**
 * Reads UI-TARS-1.5 output ({@code Thought: ...\nAction: click(start_box='(x,y)')}, bytedance/UI-TARS
 * {@code codes/ui_tars/action_parser.py}) into the same {@link Action}s {@link ToolCallParser} gives, points in
 * pixels of the image the model saw. Accepts every point form the model emits: {@code (x,y)},
 * {@code <|box_start|>(x,y)<|box_end|>}, {@code <point>x y</point>}, and boxes {@code [x1,y1,x2,y2]},
 * {@code (x1,y1,x2,y2)} or {@code <bbox>x1 y1 x2 y2</bbox>} (their centre). {@code type} content ending in a newline
 * becomes {@link TypeText} followed by {@code Key Enter}, so the approval classifier sees the submit as it sees any
 * Enter. Anything else is an {@link UnparseableOutputException}. Thread-safe and stateless.
 */
public final class UiTarsActionParser {

	/** Wheel notches per UI-TARS scroll; its reference executor scrolls by 5 (pyautogui.scroll(±5)). */
	static final int SCROLL_CLICKS = 5;

	/** {@code wait()} sleeps 5 s in the trained action space ("Sleep for 5s and take a screenshot"). */
	static final long WAIT_MS = 5_000;

	private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

	private static final int MAX_ARGUMENTS = 8;

	/** The actions of one output, in order. */
	public List<Action> parse(String rawModelOutput) {
		return parseWithThought(rawModelOutput).actions();
	}

	/** The actions and the thought before them ({@code Thought:} or {@code Reflection:} text; empty when none). */
	public Parsed parseWithThought(String rawModelOutput) {
		if (rawModelOutput.length() > ToolCallParser.MAX_OUTPUT_CHARS) {
			throw new UnparseableOutputException(Reason.TOO_LONG, "model output has " + rawModelOutput.length()
					+ " characters, more than the limit of " + ToolCallParser.MAX_OUTPUT_CHARS,
					ToolCallParser.abbreviate(rawModelOutput));
		}
		String text = rawModelOutput.replace("<|im_end|>", "").replace("<|endoftext|>", "");
		int action = text.lastIndexOf("Action:");
		if (action < 0) {
			throw new UnparseableOutputException(Reason.NO_TOOL_CALL,
					"no 'Action:' line in the model output; answer as 'Thought: ...' then 'Action: click(start_box=...)'",
					rawModelOutput);
		}
		String thought = text.substring(0, action).strip();
		for (String prefix : List.of("Thought:", "Reflection:")) {
			if (thought.startsWith(prefix)) {
				thought = thought.substring(prefix.length()).strip();
			}
		}
		List<Call> calls = new Calls(text.substring(action + "Action:".length()), rawModelOutput).all();
		List<Action> actions = new ArrayList<>();
		for (Call call : calls) {
			try {
				actions.addAll(actionsOf(call));
			}
			catch (UnparseableOutputException e) {
				throw e;
			}
			catch (IllegalArgumentException | ToolsException e) {
				throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, call.name + ": " + e.getMessage(),
						rawModelOutput, e);
			}
			if (actions.size() > ToolCallParser.MAX_ACTIONS) {
				throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, "model output holds more than "
						+ ToolCallParser.MAX_ACTIONS + " actions", rawModelOutput);
			}
		}
		return new Parsed(thought, List.copyOf(actions));
	}

	/** What one output says: the thought (may be empty) and at least one action. */
	public record Parsed(String thought, List<Action> actions) {
	}

	private record Call(String name, Map<String, String> arguments, String raw) {

		@Nullable String get(String... names) {
			for (String name : names) {
				String value = arguments.get(name);
				if (value != null) {
					return value;
				}
			}
			return null;
		}

		String required(String... names) {
			String value = get(names);
			if (value == null) {
				throw new IllegalArgumentException("needs " + names[0]);
			}
			return value;
		}

	}

	private static List<Action> actionsOf(Call call) {
		return switch (call.name) {
			case "click", "left_single", "left_click", "tap" -> List.of(new LeftClick(point(call, "start_box")));
			case "left_double", "double_click" -> List.of(new DoubleClick(point(call, "start_box")));
			case "right_single", "right_click" -> List.of(new RightClick(point(call, "start_box")));
			case "hover", "mouse_move" -> List.of(new MouseMove(point(call, "start_box")));
			case "drag", "select" -> List.of(new LeftClickDrag(point(call, "start_box"), point(call, "end_box")));
			case "hotkey", "press", "keydown" -> List.of(hotkey(call.required("key", "hotkey", "keys")));
			case "type" -> type(call.required("content", "text"));
			case "scroll" -> List.of(scroll(call));
			case "wait" -> List.of(new Wait(WAIT_MS));
			case "finished" -> {
				String content = call.get("content");
				yield List.of(content == null || content.isBlank() ? new Terminate(Terminate.Status.SUCCESS)
						: new Answer(content));
			}
			// Sightline's browser extension, in UI-TARS's call style: dialog(button='accept', text='...').
			case "dialog" -> List.of(ActionReader.dialog(call.get("button", "choice"), call.get("text", "content")));
			// The model hands over to a person; Sightline has no one to hand to, so the task ends unfinished.
			case "call_user" -> List.of(new Terminate(Terminate.Status.FAILURE));
			default -> throw new UnparseableOutputException(Reason.UNKNOWN_ACTION,
					"unknown action '" + ArgumentReader.clip(call.name) + "'; known: click, left_double, right_single,"
							+ " drag, hotkey, type, scroll, wait, finished, call_user, dialog",
					call.raw);
		};
	}

	private static ModelPoint point(Call call, String box) {
		// start_point/end_point are the Doubao spellings of start_box/end_box; "point" is the one-point form.
		String value = box.equals("start_box") ? call.get("start_box", "start_point", "point")
				: call.get("end_box", "end_point");
		if (value == null) {
			throw new IllegalArgumentException("needs " + box + "='(x,y)'");
		}
		return pointOf(value);
	}

	/** A point from any form UI-TARS writes; a box gives its centre. */
	static ModelPoint pointOf(String value) {
		List<Integer> numbers = new ArrayList<>(4);
		Matcher matcher = NUMBER.matcher(value);
		while (matcher.find()) {
			if (numbers.size() == 4) {
				throw new IllegalArgumentException("a point has 2 numbers and a box 4, got more in '"
						+ ArgumentReader.clip(value) + "'");
			}
			double number = Double.parseDouble(matcher.group());
			if (Math.abs(number) > 1_000_000) {
				throw new IllegalArgumentException("coordinate " + matcher.group() + " is out of range");
			}
			numbers.add((int) Math.round(number));
		}
		return switch (numbers.size()) {
			case 2 -> new ModelPoint(numbers.get(0), numbers.get(1));
			case 4 -> new ModelBox(numbers.get(0), numbers.get(1), numbers.get(2), numbers.get(3)).centre();
			default -> throw new IllegalArgumentException(
					"a point is (x,y) and a box [x1,y1,x2,y2], got '" + ArgumentReader.clip(value) + "'");
		};
	}

	private static Action hotkey(String keys) {
		List<String> names = List.of(keys.strip().split("[\\s+]+"));
		if (names.isEmpty() || names.getFirst().isEmpty()) {
			throw new IllegalArgumentException("hotkey needs key='ctrl c'");
		}
		return new Key(names);
	}

	private static List<Action> type(String content) {
		// A trailing newline is UI-TARS's submit; an explicit Enter is what the approval rules recognise as one.
		boolean submits = content.endsWith("\n");
		String text = submits ? content.substring(0, content.length() - 1) : content;
		List<Action> actions = new ArrayList<>(2);
		if (!text.isEmpty()) {
			actions.add(new TypeText(text));
		}
		if (submits) {
			actions.add(Key.of("Enter"));
		}
		if (actions.isEmpty()) {
			throw new IllegalArgumentException("type needs a non-empty content");
		}
		return actions;
	}

	private static Action scroll(Call call) {
		String direction = call.get("direction");
		String box = call.get("start_box", "start_point", "point");
		ModelPoint at = box == null ? null : pointOf(box);
		int pixels = SCROLL_CLICKS * ActionReader.PIXELS_PER_SCROLL_CLICK;
		return switch (direction == null ? "" : direction.strip().toLowerCase(Locale.ROOT)) {
			case "up" -> new Scroll(pixels, at);
			case "down" -> new Scroll(-pixels, at);
			case "left", "right" -> throw new IllegalArgumentException(
					"horizontal scroll is not supported; scroll up or down, or drag");
			default -> throw new IllegalArgumentException("scroll direction must be up or down, got '"
					+ ArgumentReader.clip(String.valueOf(direction)) + "'");
		};
	}

	/** A hand-written reader for {@code name(arg='value', ...)} calls with Python string escapes. */
	private static final class Calls {

		private final String text;

		private final String raw;

		private int at;

		Calls(String text, String raw) {
			this.text = text;
			this.raw = raw;
		}

		List<Call> all() {
			List<Call> calls = new ArrayList<>();
			skipSpace();
			while (at < text.length()) {
				if (calls.size() >= ToolCallParser.MAX_ACTIONS) {
					throw new UnparseableOutputException(Reason.INVALID_ARGUMENT,
							"model output holds more than " + ToolCallParser.MAX_ACTIONS + " actions", raw);
				}
				calls.add(call());
				skipSpace();
			}
			if (calls.isEmpty()) {
				throw new UnparseableOutputException(Reason.NO_TOOL_CALL, "'Action:' is followed by no action", raw);
			}
			return calls;
		}

		private Call call() {
			int start = at;
			while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
				at++;
			}
			String name = text.substring(start, at).toLowerCase(Locale.ROOT);
			skipSpace();
			if (name.isEmpty() || at >= text.length() || text.charAt(at) != '(') {
				throw new UnparseableOutputException(Reason.MALFORMED_JSON, "expected an action like click(start_box="
						+ "'(x,y)') at '" + ArgumentReader.clip(text.substring(start)) + "'", raw);
			}
			at++;
			Map<String, String> arguments = new LinkedHashMap<>();
			skipSpace();
			while (at < text.length() && text.charAt(at) != ')') {
				if (arguments.size() >= MAX_ARGUMENTS) {
					throw new UnparseableOutputException(Reason.INVALID_ARGUMENT,
							name + " has more than " + MAX_ARGUMENTS + " arguments", raw);
				}
				int keyStart = at;
				while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
					at++;
				}
				String key = text.substring(keyStart, at);
				skipSpace();
				if (key.isEmpty() || at >= text.length() || text.charAt(at) != '=') {
					throw new UnparseableOutputException(Reason.MALFORMED_JSON,
							name + " arguments must be name='value'", raw);
				}
				at++;
				skipSpace();
				arguments.put(key, value(name));
				skipSpace();
				if (at < text.length() && text.charAt(at) == ',') {
					at++;
					skipSpace();
				}
			}
			if (at >= text.length()) {
				throw new UnparseableOutputException(Reason.MALFORMED_JSON, name + "( is not closed with ')'", raw);
			}
			at++;
			return new Call(name, arguments, raw);
		}

		private String value(String name) {
			if (at >= text.length()) {
				throw new UnparseableOutputException(Reason.MALFORMED_JSON, name + " has an argument without value", raw);
			}
			char quote = text.charAt(at);
			if (quote != '\'' && quote != '"') {
				// Unquoted: up to the next comma or closing parenthesis outside brackets, e.g. start_box=(1,2).
				int start = at;
				int depth = 0;
				while (at < text.length()) {
					char c = text.charAt(at);
					if (c == '(' || c == '[') {
						depth++;
					}
					else if ((c == ')' || c == ']') && depth > 0) {
						depth--;
					}
					else if ((c == ',' || c == ')') && depth == 0) {
						break;
					}
					at++;
				}
				return text.substring(start, at).strip();
			}
			at++;
			StringBuilder value = new StringBuilder();
			while (at < text.length()) {
				char c = text.charAt(at++);
				if (c == quote) {
					return value.toString();
				}
				if (c == '\\' && at < text.length()) {
					char escaped = text.charAt(at++);
					switch (escaped) {
						case 'n' -> value.append('\n');
						case 't' -> value.append('\t');
						case '\\', '\'', '"' -> value.append(escaped);
						default -> value.append('\\').append(escaped);
					}
				}
				else {
					value.append(c);
				}
			}
			throw new UnparseableOutputException(Reason.MALFORMED_JSON, name + " has an unterminated string", raw);
		}

		private void skipSpace() {
			while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
				at++;
			}
		}

	}

}
