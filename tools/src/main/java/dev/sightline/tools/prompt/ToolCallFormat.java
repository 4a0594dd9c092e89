package dev.sightline.tools.prompt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.vision.prompt.PythonJson;

/**
 * Writes an action back in the form the model emits ({@code {"name": "computer_use", "arguments": {...}}}, spec
 * §9.3): for re-rendering previous assistant turns, for the task-progress history of a prompt
 * ({@code Step 1: {...}; }, spec §9.5) and for scripted model servers in tests. {@code ToolCallParser} reads every
 * output of this class back to an equal action.
 */
public final class ToolCallFormat {

	private ToolCallFormat() {
	}

	/** {@code {"name": "computer_use", "arguments": {...}}} on one line. */
	public static String json(Action action) {
		Map<String, Object> call = new LinkedHashMap<>();
		call.put("name", "computer_use");
		call.put("arguments", arguments(action));
		return PythonJson.dumps(call);
	}

	/** The call wrapped as the model writes it: {@code <tool_call>\n{...}\n</tool_call>}. */
	public static String toolCall(Action action) {
		return "<tool_call>\n" + json(action) + "\n</tool_call>";
	}

	/** The {@code arguments} object, {@code action} first. */
	public static Map<String, Object> arguments(Action action) {
		Map<String, Object> args = new LinkedHashMap<>();
		args.put("action", action.name());
		switch (action) {
			case Key key -> args.put("keys", key.keys());
			case TypeText type -> args.put("text", type.text());
			case MouseMove move -> args.put("coordinate", xy(move.at()));
			case Click click -> {
				if (click.at() != null) {
					args.put("coordinate", xy(click.at()));
				}
			}
			case LeftClickDrag drag -> {
				if (drag.from() != null) {
					args.put("start_coordinate", xy(drag.from()));
				}
				args.put("coordinate", xy(drag.to()));
			}
			case Scroll scroll -> {
				args.put("pixels", scroll.pixels());
				if (scroll.at() != null) {
					args.put("coordinate", xy(scroll.at()));
				}
			}
			case Wait wait -> args.put("time", wait.durationMs() / 1000.0);
			case Terminate terminate -> args.put("status", terminate.status().wireName());
			case Answer answer -> args.put("text", answer.text());
			case Navigate navigate -> args.put("url", navigate.url());
			case Back back -> {
			}
			case Forward forward -> {
			}
			case Reload reload -> {
			}
			case AnswerDialog dialog -> {
				args.put("button", dialog.button());
				if (dialog.text() != null) {
					args.put("text", dialog.text());
				}
			}
		}
		return args;
	}

	private static List<Integer> xy(ModelPoint point) {
		return List.of(point.xPx(), point.yPx());
	}

}
