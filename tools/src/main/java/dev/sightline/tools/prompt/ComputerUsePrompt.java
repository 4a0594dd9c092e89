package dev.sightline.tools.prompt;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.prompt.PythonJson;

/**
 * The system prompt declaring the {@code computer_use} tool exactly as Qwen2.5-VL was trained to see it: the
 * cookbook's {@code ComputerUse} schema (spec §9.4) rendered by qwen_agent's Nous function-calling template
 * (spec §9.3), one-line JSON with Python's separators. The display size must be the smart-resized image the model
 * gets, never the physical screen, so that prompt and image agree (spec §9.1).
 *
 * <p>
 * {@link Extension}s add Sightline's actions (browser navigation, {@code answer}) to the same tool; without them the
 * text is byte-identical to the cookbook's.
 *
 * @param display size of the image the model sees, in its pixels
 * @param extensions actions added beyond the trained schema
 */
public record ComputerUsePrompt(ImageSize display, Set<Extension> extensions) {

	/** Actions Sightline adds to the trained schema. */
	public enum Extension {

		/** {@code navigate} (with {@code url}), {@code back}, {@code forward}, {@code reload}. */
		BROWSER_NAVIGATION,
		/** {@code answer} (with {@code text}): end the task with an answer to a question. */
		ANSWER,
		/** {@code dialog} (with {@code button} and, for a prompt, {@code text}): answer a JavaScript dialog. */
		BROWSER_DIALOGS

	}

	/** The default system text of the Qwen2.5-VL chat template (spec §8.1). */
	public static final String DEFAULT_SYSTEM_TEXT = "You are a helpful assistant.";

	public ComputerUsePrompt {
		extensions = extensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extensions));
	}

	/** The trained desktop tool, unchanged. */
	public static ComputerUsePrompt desktop(ImageSize display) {
		return new ComputerUsePrompt(display, Set.of());
	}

	/** The trained tool plus browser navigation and dialogs. */
	public static ComputerUsePrompt browser(ImageSize display) {
		return new ComputerUsePrompt(display, Set.of(Extension.BROWSER_NAVIGATION, Extension.BROWSER_DIALOGS));
	}

	public ComputerUsePrompt with(Extension extension) {
		Set<Extension> more = EnumSet.of(extension);
		more.addAll(extensions);
		return new ComputerUsePrompt(display, more);
	}

	/** The whole system message content: the default system text followed by the tool block. */
	public String systemPrompt() {
		return systemPrompt(DEFAULT_SYSTEM_TEXT);
	}

	/** {@code systemText} followed by the tool block, as qwen_agent appends it. */
	public String systemPrompt(String systemText) {
		return systemText + "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
				+ "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" + toolJson()
				+ "\n</tools>\n\nFor each function call, return a json object with function name and arguments within"
				+ " <tool_call></tool_call> XML tags:\n<tool_call>\n"
				+ "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
	}

	/** The one-line tool declaration inside {@code <tools>}. */
	public String toolJson() {
		Map<String, Object> function = new LinkedHashMap<>();
		function.put("name_for_human", "computer_use");
		function.put("name", "computer_use");
		function.put("description", description());
		function.put("parameters", parameters());
		function.put("args_format", "Format the arguments as a JSON object.");
		Map<String, Object> tool = new LinkedHashMap<>();
		tool.put("type", "function");
		tool.put("function", function);
		return PythonJson.dumps(tool);
	}

	private String description() {
		return String.join("\n", "Use a mouse and keyboard to interact with a computer, and take screenshots.",
				"* This is an interface to a desktop GUI. You do not have access to a terminal or applications menu."
						+ " You must click on desktop icons to start applications.",
				"* Some applications may take time to start or process actions, so you may need to wait and take"
						+ " successive screenshots to see the results of your actions. E.g. if you click on Firefox and"
						+ " a window doesn't open, try wait and taking another screenshot.",
				"* The screen's resolution is " + display.widthPx() + "x" + display.heightPx() + ".",
				"* Whenever you intend to move the cursor to click on an element like an icon, you should consult a"
						+ " screenshot to determine the coordinates of the element before moving the cursor.",
				"* If you tried clicking on a program or link but it failed to load, even after waiting, try adjusting"
						+ " your cursor position so that the tip of the cursor visually falls on the element that you"
						+ " want to click.",
				"* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element."
						+ " Don't click boxes on their edges unless asked.");
	}

	private Map<String, Object> parameters() {
		List<String> actionLines = new ArrayList<>(List.of("The action to perform. The available actions are:",
				"* `key`: Performs key down presses on the arguments passed in order, then performs key releases in"
						+ " reverse order.",
				"* `type`: Type a string of text on the keyboard.",
				"* `mouse_move`: Move the cursor to a specified (x, y) pixel coordinate on the screen.",
				"* `left_click`: Click the left mouse button.",
				"* `left_click_drag`: Click and drag the cursor to a specified (x, y) pixel coordinate on the screen.",
				"* `right_click`: Click the right mouse button.", "* `middle_click`: Click the middle mouse button.",
				"* `double_click`: Double-click the left mouse button.",
				"* `scroll`: Performs a scroll of the mouse scroll wheel.",
				"* `wait`: Wait specified seconds for the change to happen.",
				"* `terminate`: Terminate the current task and report its completion status."));
		List<String> actions = new ArrayList<>(List.of("key", "type", "mouse_move", "left_click", "left_click_drag",
				"right_click", "middle_click", "double_click", "scroll", "wait", "terminate"));
		if (extensions.contains(Extension.ANSWER)) {
			actionLines.add("* `answer`: Answer the user's question and end the task.");
			actions.add("answer");
		}
		if (extensions.contains(Extension.BROWSER_NAVIGATION)) {
			actionLines.add("* `navigate`: Open a URL in the current browser tab.");
			actionLines.add("* `back`: Go back to the previous page of the browser tab.");
			actionLines.add("* `forward`: Go forward to the next page of the browser tab.");
			actionLines.add("* `reload`: Reload the current page.");
			actions.addAll(List.of("navigate", "back", "forward", "reload"));
		}
		if (extensions.contains(Extension.BROWSER_DIALOGS)) {
			actionLines.add("* `dialog`: Answer the JavaScript dialog (alert, confirm, prompt) shown on the screenshot:"
					+ " `button` accept or dismiss, and for a prompt the `text` to enter.");
			actions.add("dialog");
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("action", ordered("description", String.join("\n", actionLines), "enum", actions, "type",
				"string"));
		properties.put("keys", ordered("description", "Required only by `action=key`.", "type", "array"));
		properties.put("text", ordered("description", textUse(), "type", "string"));
		properties.put("coordinate", ordered("description",
				"(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the"
						+ " mouse to. Required only by `action=mouse_move` and `action=left_click_drag`.",
				"type", "array"));
		properties.put("pixels", ordered("description", "The amount of scrolling to perform. Positive values scroll up,"
				+ " negative values scroll down. Required only by `action=scroll`.", "type", "number"));
		properties.put("time",
				ordered("description", "The seconds to wait. Required only by `action=wait`.", "type", "number"));
		properties.put("status", ordered("description", "The status of the task. Required only by `action=terminate`.",
				"type", "string", "enum", List.of("success", "failure")));
		if (extensions.contains(Extension.BROWSER_NAVIGATION)) {
			properties.put("url",
					ordered("description", "The URL to open. Required only by `action=navigate`.", "type", "string"));
		}
		if (extensions.contains(Extension.BROWSER_DIALOGS)) {
			properties.put("button", ordered("description",
					"How to answer the dialog. Required only by `action=dialog`.", "type", "string", "enum",
					List.of("accept", "dismiss")));
		}
		return ordered("properties", properties, "required", List.of("action"), "type", "object");
	}

	private String textUse() {
		if (extensions.contains(Extension.ANSWER) && extensions.contains(Extension.BROWSER_DIALOGS)) {
			return "Required only by `action=type` and `action=answer`; optional for `action=dialog`.";
		}
		if (extensions.contains(Extension.ANSWER)) {
			return "Required only by `action=type` and `action=answer`.";
		}
		if (extensions.contains(Extension.BROWSER_DIALOGS)) {
			return "Required only by `action=type`; optional for `action=dialog`.";
		}
		return "Required only by `action=type`.";
	}

	private static Map<String, Object> ordered(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
