package dev.sightline.tools.prompt;

import java.util.List;
import java.util.stream.Collectors;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import org.jspecify.annotations.Nullable;

/**
 * The prompts UI-TARS-1.5 was trained on (bytedance/UI-TARS {@code codes/ui_tars/prompt.py}: the computer-use and
 * grounding templates) and the writer of its action grammar, for history lines and scripted models in tests.
 * {@code UiTarsActionParser} reads every output of {@link #action} back to an equal action. Points are written
 * {@code (x,y)} in pixels of the image the model saw (README_coordinates.md: absolute, after smart-resize).
 */
public final class UiTarsPrompt {

	private UiTarsPrompt() {
	}

	/** The computer-use template (COMPUTER_USE of prompt.py) with the start_box spelling UI-TARS-1.5 answers in. */
	public static String computerUse(String instruction, String language) {
		return """
				You are a GUI agent. You are given a task and your action history, with screenshots. You need to \
				perform the next action to complete the task.

				## Output Format
				```
				Thought: ...
				Action: ...
				```

				## Action Space

				click(start_box='<|box_start|>(x1,y1)<|box_end|>')
				left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')
				right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')
				drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')
				hotkey(key='')
				type(content='') #If you want to submit your input, use "\\n" at the end of `content`.
				scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')
				wait() #Sleep for 5s and take a screenshot to check for any changes.
				finished(content='xxx') # Use escape characters \\', \\", and \\n in content part to ensure we can \
				parse the content in normal python string format.
				call_user() # Submit the task and call the user when the task is unsolvable, or when you need the \
				user's help.


				## Note
				- Use %s in `Thought` part.
				- Write a small plan and finally summarize your next action (with its target element) in one sentence \
				in `Thought` part.

				## User Instruction
				%s""".formatted(language, instruction);
	}

	/** The grounding template: the answer is one click on the element. */
	public static String grounding(String instruction) {
		return "You are a GUI agent. You are given a task and your action history, with screenshots. You need to "
				+ "perform the next action to complete the task.\n\n## Output Format\n\nAction: ...\n\n\n"
				+ "## Action Space\nclick(start_box='<|box_start|>(x1,y1)<|box_end|>')\n\n## User Instruction\n"
				+ instruction.strip();
	}

	/** The action as UI-TARS writes it, e.g. {@code click(start_box='(12,34)')}; several lines for Sightline-only actions. */
	public static String action(Action action) {
		return switch (action) {
			case DoubleClick click -> "left_double(start_box='" + box(click.at()) + "')";
			case RightClick click -> "right_single(start_box='" + box(click.at()) + "')";
			case Click click -> "click(start_box='" + box(click.at()) + "')";
			case MouseMove move -> "hover(start_box='" + box(move.at()) + "')";
			case LeftClickDrag drag -> "drag(start_box='" + box(drag.from()) + "', end_box='" + box(drag.to()) + "')";
			case Key key -> "hotkey(key='" + key.keys().stream().map(String::toLowerCase).collect(
					Collectors.joining(" ")) + "')";
			case TypeText type -> "type(content='" + escape(type.text()) + "')";
			case Scroll scroll -> "scroll(" + (scroll.at() == null ? "" : "start_box='" + box(scroll.at()) + "', ")
					+ "direction='" + (scroll.pixels() > 0 ? "up" : "down") + "')";
			case Wait wait -> "wait()";
			case Answer answer -> "finished(content='" + escape(answer.text()) + "')";
			case Terminate terminate -> terminate.status() == Terminate.Status.SUCCESS ? "finished(content='')"
					: "call_user()";
			// Not in UI-TARS's action space; written in its call style for the history only.
			case Navigate navigate -> "navigate(url='" + escape(navigate.url()) + "')";
			case Back back -> "back()";
			case Forward forward -> "forward()";
			case Reload reload -> "reload()";
			case AnswerDialog dialog -> "dialog(button='" + dialog.button() + "'"
					+ (dialog.text() == null ? "" : ", text='" + escape(dialog.text()) + "'") + ")";
		};
	}

	/** A whole answer: {@code Thought: ...\nAction: ...}, actions separated by blank lines as the model does. */
	public static String answer(String thought, List<Action> actions) {
		return "Thought: " + thought + "\nAction: "
				+ actions.stream().map(UiTarsPrompt::action).collect(Collectors.joining("\n\n"));
	}

	private static String box(@Nullable ModelPoint point) {
		return point == null ? "" : "(" + point.xPx() + "," + point.yPx() + ")";
	}

	private static String escape(String text) {
		return text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n");
	}

}
