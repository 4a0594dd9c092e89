package dev.sightline.tools.parse;

import static dev.sightline.tools.parse.ArgumentReader.clip;
import static dev.sightline.tools.parse.ArgumentReader.field;
import static dev.sightline.tools.parse.ArgumentReader.lower;
import static dev.sightline.tools.parse.ArgumentReader.optionalPoint;
import static dev.sightline.tools.parse.ArgumentReader.text;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MiddleClick;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TripleClick;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;

/**
 * Builds one {@link Action} from a computer_use {@code arguments} object (spec §9.4), accepting the mobile_use
 * spellings (spec §9.5) and a few synonyms models drift to. Throws {@link IllegalArgumentException} with a message
 * naming the argument; {@link UnknownActionException} for an action it does not know.
 */
final class ActionReader {

	/** One wheel notch in Chromium and X; used when a model scrolls by "clicks" instead of pixels. */
	static final int PIXELS_PER_SCROLL_CLICK = 100;

	private static final Map<String, String> SYNONYMS = Map.ofEntries(Map.entry("click", LeftClick.NAME),
			Map.entry("tap", LeftClick.NAME), Map.entry("left_single_click", LeftClick.NAME),
			Map.entry("doubleclick", DoubleClick.NAME), Map.entry("double_tap", DoubleClick.NAME),
			Map.entry("rightclick", RightClick.NAME), Map.entry("hover", MouseMove.NAME),
			Map.entry("move", MouseMove.NAME), Map.entry("drag", LeftClickDrag.NAME),
			Map.entry("swipe", LeftClickDrag.NAME), Map.entry("press", Key.NAME), Map.entry("hotkey", Key.NAME),
			Map.entry("key_press", Key.NAME), Map.entry("keypress", Key.NAME), Map.entry("type_text", TypeText.NAME),
			Map.entry("input", TypeText.NAME), Map.entry("write", TypeText.NAME), Map.entry("sleep", Wait.NAME),
			Map.entry("done", Terminate.NAME), Map.entry("finish", Terminate.NAME), Map.entry("goto", Navigate.NAME),
			Map.entry("go_to", Navigate.NAME), Map.entry("open_url", Navigate.NAME),
			Map.entry("go_back", Back.NAME), Map.entry("go_forward", Forward.NAME), Map.entry("refresh", Reload.NAME),
			Map.entry("handle_dialog", AnswerDialog.NAME), Map.entry("answer_dialog", AnswerDialog.NAME));

	/** An action name Sightline does not know. */
	static final class UnknownActionException extends IllegalArgumentException {

		UnknownActionException(String message) {
			super(message);
		}

	}

	private ActionReader() {
	}

	static Action read(JsonNode args) {
		JsonNode actionNode = field(args, "action", "action_type", "type_of_action");
		if (actionNode == null || !actionNode.isTextual()) {
			throw new IllegalArgumentException("arguments need an \"action\" string, got " + clip(args));
		}
		String raw = lower(actionNode.asText());
		String name = SYNONYMS.getOrDefault(raw, raw);
		return switch (name) {
			case Key.NAME -> key(args);
			case TypeText.NAME -> new TypeText(required(text(args, "text", "content", "value"), "text", name));
			case MouseMove.NAME -> new MouseMove(requiredPoint(args, name));
			case LeftClick.NAME -> new LeftClick(at(args));
			case RightClick.NAME -> new RightClick(at(args));
			case MiddleClick.NAME -> new MiddleClick(at(args));
			case DoubleClick.NAME -> new DoubleClick(at(args));
			case TripleClick.NAME -> new TripleClick(at(args));
			case LeftClickDrag.NAME -> drag(args);
			case Scroll.NAME -> scroll(args);
			case Wait.NAME -> waitAction(args);
			case Terminate.NAME -> terminate(args);
			case Answer.NAME -> new Answer(required(text(args, "text", "answer", "content"), "text", name));
			case Navigate.NAME -> new Navigate(required(text(args, "url", "text"), "url", name));
			case Back.NAME -> new Back();
			case Forward.NAME -> new Forward();
			case Reload.NAME -> new Reload();
			case AnswerDialog.NAME -> dialog(args);
			case "system_button" -> systemButton(args);
			default -> throw new UnknownActionException("unknown action '" + clip(actionNode.asText())
					+ "'; known: key, type, mouse_move, left_click, left_click_drag, right_click, middle_click,"
					+ " double_click, triple_click, scroll, wait, terminate, answer, navigate, back, forward, reload,"
					+ " dialog");
		};
	}

	private static @Nullable ModelPoint at(JsonNode args) {
		ModelPoint point = optionalPoint(args, "coordinate", "coordinates", "point", "position", "coordinate1",
				"start_coordinate");
		if (point == null && field(args, "x") != null && field(args, "y") != null) {
			return ArgumentReader.point(args, "x/y");
		}
		return point;
	}

	private static ModelPoint requiredPoint(JsonNode args, String action) {
		ModelPoint point = at(args);
		if (point == null) {
			throw new IllegalArgumentException(action + " needs a coordinate [x, y]");
		}
		return point;
	}

	private static Action key(JsonNode args) {
		JsonNode keys = field(args, "keys", "key", "text", "combination");
		if (keys == null) {
			throw new IllegalArgumentException("key needs keys, e.g. [\"ctrl\", \"c\"]");
		}
		return new Key(ArgumentReader.strings(keys, "keys"));
	}

	private static Action drag(JsonNode args) {
		ModelPoint start = optionalPoint(args, "start_coordinate", "start", "from", "coordinate1");
		ModelPoint end = optionalPoint(args, "end_coordinate", "coordinate2", "end", "to");
		ModelPoint coordinate = optionalPoint(args, "coordinate", "point");
		if (end == null && coordinate != null) {
			// The schema's form: drag from wherever the pointer is to "coordinate".
			return new LeftClickDrag(start, coordinate);
		}
		if (end == null) {
			throw new IllegalArgumentException("left_click_drag needs a target coordinate [x, y]");
		}
		// mobile_use's swipe: "coordinate" is the start, "coordinate2" the end.
		return new LeftClickDrag(start != null ? start : coordinate, end);
	}

	private static Action scroll(JsonNode args) {
		ModelPoint at = at(args);
		JsonNode pixels = field(args, "pixels", "amount_px", "delta");
		if (pixels != null) {
			return new Scroll(roundedInt(ArgumentReader.number(pixels, "pixels"), "pixels"), at);
		}
		String direction = text(args, "direction", "scroll_direction");
		if (direction == null) {
			throw new IllegalArgumentException("scroll needs pixels (positive = up, negative = down)");
		}
		JsonNode amountNode = field(args, "amount", "scroll_amount", "clicks");
		double clicks = amountNode == null ? 5 : ArgumentReader.number(amountNode, "scroll_amount");
		int sign = switch (lower(direction)) {
			case "up" -> 1;
			case "down" -> -1;
			default -> throw new IllegalArgumentException(
					"scroll direction must be up or down, got '" + clip(direction) + "'");
		};
		return new Scroll(sign * roundedInt(Math.abs(clicks) * PIXELS_PER_SCROLL_CLICK, "scroll_amount"), at);
	}

	private static Action waitAction(JsonNode args) {
		JsonNode time = field(args, "time", "seconds", "duration");
		// The schema requires time, but a bare {"action": "wait"} is common; one second is what it means in practice.
		double seconds = time == null ? 1 : ArgumentReader.number(time, "time");
		if (!Double.isFinite(seconds) || seconds < 0 || seconds * 1000 > Wait.MAX_DURATION_MS) {
			throw new IllegalArgumentException(
					"wait time must be within [0, " + Wait.MAX_DURATION_MS / 1000 + "] seconds, got " + seconds);
		}
		return new Wait(Math.round(seconds * 1000));
	}

	private static Action terminate(JsonNode args) {
		String status = text(args, "status", "result");
		if (status == null) {
			throw new IllegalArgumentException("terminate needs status \"success\" or \"failure\"");
		}
		String normalised = lower(status);
		if (normalised.startsWith("succe") || normalised.startsWith("complete") || normalised.equals("done")) {
			return new Terminate(Terminate.Status.SUCCESS);
		}
		if (normalised.startsWith("fail") || normalised.equals("infeasible")) {
			return new Terminate(Terminate.Status.FAILURE);
		}
		throw new IllegalArgumentException("terminate status must be success or failure, got '" + clip(status) + "'");
	}

	/** {@code {"action": "dialog", "button": "accept"|"dismiss", "text": "..."}}; OK/Cancel spellings too. */
	static AnswerDialog dialog(JsonNode args) {
		String button = text(args, "button", "choice", "response", "accept", "status");
		return dialog(button, text(args, "text", "value", "prompt_text"));
	}

	/** The dialog answer for a button spelling ({@code accept}/{@code ok}/... or {@code dismiss}/{@code cancel}/...). */
	static AnswerDialog dialog(@Nullable String button, @Nullable String promptText) {
		if (button == null) {
			throw new IllegalArgumentException("dialog needs button \"accept\" or \"dismiss\"");
		}
		boolean accept = switch (lower(button)) {
			case "accept", "ok", "yes", "confirm", "true" -> true;
			case "dismiss", "cancel", "no", "close", "false" -> false;
			default -> throw new IllegalArgumentException(
					"dialog button must be accept or dismiss, got '" + clip(button) + "'");
		};
		// A dismissed prompt returns null to the page whatever was typed, so a text there is dropped, not an error.
		return new AnswerDialog(accept, accept ? promptText : null);
	}

	private static Action systemButton(JsonNode args) {
		String button = lower(required(text(args, "button", "text"), "button", "system_button"));
		return switch (button) {
			case "back" -> new Back();
			case "enter" -> new Key(List.of("Enter"));
			default -> throw new UnknownActionException(
					"system_button '" + clip(button) + "' has no browser or desktop equivalent (known: Back, Enter)");
		};
	}

	private static String required(@Nullable String value, String argument, String action) {
		if (value == null) {
			throw new IllegalArgumentException(action + " needs " + argument);
		}
		return value;
	}

	private static int roundedInt(double value, String name) {
		if (!Double.isFinite(value) || Math.abs(value) > Integer.MAX_VALUE / 2) {
			throw new IllegalArgumentException(name + " value " + value + " is out of range");
		}
		return (int) Math.round(value);
	}

}
