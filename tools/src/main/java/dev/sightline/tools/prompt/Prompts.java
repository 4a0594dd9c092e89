package dev.sightline.tools.prompt;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.prompt.PythonJson;

/**
 * The one-shot questions every caller asks, each in the form its model family was trained on: grounding a target as
 * a point (ground endpoint, eval harness) or a box (test library; a point for families that answer points), a yes/no
 * judgement and a schema-bound extraction as one JSON object; plus the lines the agent conversation writes in the
 * family's grammar (history entries, the re-ask's form). The screenshot comes first, as in the cookbooks.
 */
public final class Prompts {

	/** The note a browser task's goal carries: how secrets are written, so the model types their placeholders. */
	public static final String SECRETS_NOTE =
			"Secrets are written as {{name}}; type them exactly like that and they will be filled in.";

	private Prompts() {
	}

	/** Asks for the point of what {@code instruction} describes. */
	public static Conversation groundingPoint(ModelProfile profile, String instruction, ImagePart image) {
		return Conversation.of(Message.user(image, new TextPart(switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> "Locate the UI element for this instruction: \"" + instruction.strip()
					+ "\". Output its point coordinates in JSON format, like [{\"point_2d\": [x, y], \"label\": \"...\"}].";
			case UI_TARS_1_5 -> UiTarsPrompt.grounding(instruction);
		})));
	}

	/**
	 * Asks for the box of {@code target} where the family answers boxes (spec §9.2: "Locate ..., output its bbox
	 * coordinates using JSON format"); UI-TARS answers a click point, so its box is absent.
	 */
	public static Conversation groundingBox(ModelProfile profile, String target, ImagePart image) {
		return switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> Conversation.of(Message.system(ComputerUsePrompt.DEFAULT_SYSTEM_TEXT),
					Message.user(image,
							new TextPart("Locate " + target + " in the screenshot, output its bbox coordinates using JSON format.")));
			case UI_TARS_1_5 -> groundingPoint(profile, target, image);
		};
	}

	/** A yes/no judgement of {@code statement} about the screenshot, answered as {@code {"pass", "reason"}}. */
	public static Conversation judge(String statement, ImagePart image) {
		return Conversation.of(Message.system(
				"You check statements about a screenshot of a web page. Answer with one JSON object and nothing else:"
						+ " {\"pass\": true or false, \"reason\": \"what you see that decides it, in one sentence\"}."),
				Message.user(image, new TextPart("Statement: " + statement)));
	}

	/** A question about the screenshot answered as one JSON value matching {@code schemaJson}. */
	public static Conversation extract(String question, String schemaJson, ImagePart image) {
		return Conversation.of(
				Message.system("You read information from a screenshot of a web page. " + jsonAnswer(schemaJson)),
				Message.user(image, new TextPart(question)));
	}

	/** What a turn answered as one bare JSON value says about its form (decoding may enforce the schema too). */
	private static String jsonAnswer(String schemaJson) {
		return "Answer with one JSON value and nothing else, matching this JSON schema: " + schemaJson;
	}

	/**
	 * One line of the step history in the family's own grammar and coordinate space, e.g.
	 * {@code Step 2: {"action": "left_click", "coordinate": [640, 360]}} or {@code Step 2: click(start_box='(640,360)')}.
	 */
	public static String historyEntry(ModelProfile profile, int step, Action action, ImageSize model) {
		Action own = profile.inOwnSpace(action, model);
		return "Step " + step + ": " + switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> PythonJson.dumps(ToolCallFormat.arguments(own));
			case UI_TARS_1_5 -> UiTarsPrompt.action(own);
		};
	}

	/**
	 * The turn that asks a finished task for its structured result: one bare JSON value valid against
	 * {@code schemaJson} (not wrapped in an action, so decoding can be constrained to the schema), on the task's
	 * last screenshot when it took one.
	 */
	public static Conversation result(String goal, @Nullable String finalWords, String schemaJson,
			@Nullable String instructions, @Nullable ImagePart lastScreenshot) {
		String ask = "Task: " + goal + "\n\nThe task is finished"
				+ (finalWords == null || finalWords.isBlank() ? "" : " (your final words: " + finalWords + ")")
				+ ". Now report its result" + (lastScreenshot == null ? "." : ", reading it from the screenshot.")
				+ (instructions == null ? "" : "\nWhat the result should hold: " + instructions);
		Message system = Message.system("You report the result of a finished task on a computer. "
				+ jsonAnswer(schemaJson));
		return Conversation.of(system, lastScreenshot == null ? Message.user(new TextPart(ask))
				: Message.user(lastScreenshot, new TextPart(ask)));
	}

	/** What a re-ask of a bare JSON answer ({@link #result}) says: the problem, and the form again. */
	public static String reaskJson(String problem) {
		return "Your answer could not be used: " + problem + ". Answer with one JSON value and nothing else, "
				+ "matching the JSON schema.";
	}

	/** What a re-ask says: the problem with the answer and the form the family must answer in. */
	public static String reask(ModelProfile profile, String problem) {
		String form = switch (profile) {
			case QWEN2_5_VL, QWEN3_VL ->
				"Answer with exactly one <tool_call>{\"name\": \"computer_use\", \"arguments\": {...}}</tool_call>.";
			case UI_TARS_1_5 -> "Answer with 'Thought: ...' and then one 'Action: ...' from the action space.";
		};
		return "Your answer could not be used: " + problem + ". " + form;
	}

}
