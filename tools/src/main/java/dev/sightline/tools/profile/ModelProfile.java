package dev.sightline.tools.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.Grounding;
import dev.sightline.tools.parse.GroundingParser;
import dev.sightline.tools.parse.ToolCallParser;
import dev.sightline.tools.parse.UiTarsActionParser;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;
import dev.sightline.tools.prompt.ComputerUsePrompt;
import dev.sightline.vision.prompt.PythonJson;
import dev.sightline.tools.prompt.ToolCallFormat;
import dev.sightline.tools.prompt.UiTarsPrompt;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * A model family and everything that differs with it: the prompts for computer use, grounding, assertions and
 * queries; the output grammar and its parser; the coordinate space of its answers; how much history a step keeps.
 * Every caller (agent loop, ground endpoint, eval harness, test library) asks its profile, so no caller tests for a
 * family. Answers leave a profile with points in pixels of the image the model saw, whatever the family's own space,
 * so one {@code CoordinateMapping} takes them to the screen.
 */
public enum ModelProfile {

	/** Qwen2.5-VL: computer_use tool calls, absolute pixels of the smart-resized image (spec §9). */
	QWEN2_5_VL("qwen2.5-vl", CoordinateSpace.MODEL_PIXELS, 1, false),

	/**
	 * Qwen3-VL: the same tool-call grammar, but every coordinate on a 0–1000 grid of the image (spec §10); the tool
	 * description announces a 1000x1000 screen so prompt and answers agree.
	 */
	QWEN3_VL("qwen3-vl", CoordinateSpace.RELATIVE_1000, 1, false),

	/**
	 * UI-TARS-1.5 (a Qwen2.5-VL checkpoint): {@code Thought:}/{@code Action:} with its own action names, absolute
	 * pixels of the smart-resized image (README_coordinates.md). Its reference agent keeps the last 5 screenshots and
	 * its earlier thoughts (OSWorld {@code uitars_agent.py} {@code history_n=5}).
	 */
	UI_TARS_1_5("ui-tars-1.5", CoordinateSpace.MODEL_PIXELS, 5, true);

	/** The setting's value that picks the profile from the checkpoint or served model name. */
	public static final String AUTO = "auto";

	private final String id;

	private final CoordinateSpace coordinates;

	private final int screenshotsKept;

	private final boolean keepsThoughts;

	ModelProfile(String id, CoordinateSpace coordinates, int screenshotsKept, boolean keepsThoughts) {
		this.id = id;
		this.coordinates = coordinates;
		this.screenshotsKept = screenshotsKept;
		this.keepsThoughts = keepsThoughts;
	}

	/** The name in {@code sightline.model.profile}, e.g. {@code qwen2.5-vl}. */
	public String id() {
		return id;
	}

	public CoordinateSpace coordinates() {
		return coordinates;
	}

	/**
	 * Screenshots the family was trained to see per step (the newest last). Recorded as the family's property; the
	 * agent loop still sends {@code sightline.agent.screenshots-in-prompt} of them.
	 */
	public int screenshotsKept() {
		return screenshotsKept;
	}

	/**
	 * Whether the family's history carries its earlier thoughts. Recorded as the family's property; the agent loop
	 * keeps a text history of actions for every family today.
	 */
	public boolean keepsThoughts() {
		return keepsThoughts;
	}

	/** The profile named {@code id} ({@code qwen2.5-vl}, {@code qwen3-vl}, {@code ui-tars-1.5}). */
	public static ModelProfile of(String id) {
		for (ModelProfile profile : values()) {
			if (profile.id.equalsIgnoreCase(id.strip())) {
				return profile;
			}
		}
		throw new IllegalArgumentException("unknown model profile '" + id + "'; known: " + ids());
	}

	/** The profile ids, comma-separated, for messages. */
	public static String ids() {
		return Arrays.stream(values()).map(ModelProfile::id).collect(Collectors.joining(", "));
	}

	// ---- computer use

	/** The conversation of one computer-use step. */
	public Conversation computerUse(ComputerUseTurn turn) {
		return switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> {
				ComputerUsePrompt prompt = turn.browser()
						? ComputerUsePrompt.browser(coordinates.announcedDisplay(turn.display()))
							.with(ComputerUsePrompt.Extension.ANSWER)
						: ComputerUsePrompt.desktop(coordinates.announcedDisplay(turn.display()));
				StringBuilder user = new StringBuilder("The user query: ").append(turn.goal());
				turn.notes().forEach(note -> user.append('\n').append(note));
				if (!turn.history().isEmpty()) {
					user.append("\nTask progress (You have done the following operation on the current device): ");
					turn.history().forEach(step -> user.append(step).append("; "));
				}
				yield new Conversation(List.of(Message.system(prompt.systemPrompt()),
						new Message(Role.USER, withScreenshots(user.toString(), turn.screenshots()))));
			}
			case UI_TARS_1_5 -> {
				// UI-TARS has no system prompt: the template, with the instruction, is the user's first text.
				StringBuilder instruction = new StringBuilder(turn.goal());
				turn.notes().forEach(note -> instruction.append('\n').append(note));
				StringBuilder user = new StringBuilder(UiTarsPrompt.computerUse(instruction.toString(), "English"));
				if (!turn.history().isEmpty()) {
					user.append("\n\n## Action History\n");
					turn.history().forEach(step -> user.append(step).append('\n'));
				}
				yield new Conversation(List.of(new Message(Role.USER, withScreenshots(user.toString(), turn.screenshots()))));
			}
		};
	}

	/** The step's conversation plus the unusable answer and what was wrong, so the model can correct itself. */
	public Conversation reask(Conversation conversation, String rawAnswer, String problem) {
		List<Message> messages = new ArrayList<>(conversation.messages());
		messages.add(Message.assistant(rawAnswer));
		String form = switch (this) {
			case QWEN2_5_VL, QWEN3_VL ->
				"Answer with exactly one <tool_call>{\"name\": \"computer_use\", \"arguments\": {...}}</tool_call>.";
			case UI_TARS_1_5 -> "Answer with 'Thought: ...' and then one 'Action: ...' from the action space.";
		};
		messages.add(Message.user(new TextPart("Your answer could not be used: " + problem + ". " + form)));
		return new Conversation(messages);
	}

	/**
	 * The actions of a computer-use answer, points in pixels of the model image {@code model}.
	 *
	 * @throws UnparseableOutputException when the answer holds no usable action in this family's grammar
	 */
	public List<Action> parseActions(String rawAnswer, ImageSize model) {
		List<Action> actions = switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> new ToolCallParser().parse(rawAnswer);
			case UI_TARS_1_5 -> new UiTarsActionParser().parse(rawAnswer);
		};
		try {
			return actions.stream()
				.map(action -> ActionPoints.map(action, point -> coordinates.toModelPixels(point, model)))
				.toList();
		}
		catch (IllegalArgumentException e) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, e.getMessage(), rawAnswer, e);
		}
	}

	/**
	 * One line of the step history in this family's own grammar and coordinate space, e.g.
	 * {@code Step 2: {"action": "left_click", "coordinate": [640, 360]}} or {@code Step 2: click(start_box='(640,360)')}.
	 */
	public String historyEntry(int step, Action action, ImageSize model) {
		Action own = ActionPoints.map(action, point -> coordinates.fromModelPixels(point, model));
		return "Step " + step + ": " + switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> PythonJson.dumps(ToolCallFormat.arguments(own));
			case UI_TARS_1_5 -> UiTarsPrompt.action(own);
		};
	}

	// ---- grounding

	/** Asks for the point of what {@code instruction} describes; the image first, as in the cookbooks. */
	public Conversation groundingPoint(String instruction, ImagePart image) {
		return Conversation.of(Message.user(image, new TextPart(switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> "Locate the UI element for this instruction: \"" + instruction.strip()
					+ "\". Output its point coordinates in JSON format, like [{\"point_2d\": [x, y], \"label\": \"...\"}].";
			case UI_TARS_1_5 -> UiTarsPrompt.grounding(instruction);
		})));
	}

	/**
	 * Asks for the box of {@code target} where the family answers boxes (spec §9.2: "Locate ..., output its bbox
	 * coordinates using JSON format"); UI-TARS answers a click point, so its box is absent.
	 */
	public Conversation groundingBox(String target, ImagePart image) {
		return switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> Conversation.of(Message.system(ComputerUsePrompt.DEFAULT_SYSTEM_TEXT),
					Message.user(image,
							new TextPart("Locate " + target + " in the screenshot, output its bbox coordinates using JSON format.")));
			case UI_TARS_1_5 -> groundingPoint(target, image);
		};
	}

	/**
	 * The first element of a grounding answer, in pixels of the model image {@code model}.
	 *
	 * @throws UnparseableOutputException when the answer holds no point
	 */
	public Grounding parseGrounding(String rawAnswer, ImageSize model) {
		Grounding own = switch (this) {
			case QWEN2_5_VL, QWEN3_VL -> new GroundingParser().parse(rawAnswer).getFirst();
			case UI_TARS_1_5 -> {
				List<ModelPoint> points = new UiTarsActionParser().parse(rawAnswer).getFirst().points();
				if (points.isEmpty()) {
					throw new UnparseableOutputException(Reason.INVALID_ARGUMENT,
							"the grounding answer is an action without a point", rawAnswer);
				}
				yield new Grounding(points.getFirst(), null, null);
			}
		};
		try {
			ModelBox box = own.box();
			return new Grounding(coordinates.toModelPixels(own.point(), model), box == null ? null
					: boxOf(coordinates.toModelPixels(new ModelPoint(box.leftPx(), box.topPx()), model),
							coordinates.toModelPixels(new ModelPoint(box.rightPx(), box.bottomPx()), model)),
					own.label());
		}
		catch (IllegalArgumentException e) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, e.getMessage(), rawAnswer, e);
		}
	}

	// ---- assertions and queries (the same for every family today: plain JSON, no coordinates)

	/** System text of a yes/no judgement of a statement about a screenshot. */
	public String assertionSystemText() {
		return "You check statements about a screenshot of a web page. Answer with one JSON object and nothing else:"
				+ " {\"pass\": true or false, \"reason\": \"what you see that decides it, in one sentence\"}.";
	}

	/** System text of a query answered as one JSON value matching {@code schemaJson}. */
	public String querySystemText(String schemaJson) {
		return "You read information from a screenshot of a web page. Answer with one JSON value and nothing else,"
				+ " matching this JSON schema: " + schemaJson;
	}

	@Override
	public String toString() {
		return id;
	}

	private static ModelBox boxOf(ModelPoint topLeft, ModelPoint bottomRight) {
		return new ModelBox(topLeft.xPx(), topLeft.yPx(), bottomRight.xPx(), bottomRight.yPx());
	}

	private static List<Part> withScreenshots(String text, List<ImagePart> screenshots) {
		List<Part> parts = new ArrayList<>();
		parts.add(new TextPart(text));
		for (int i = 0; i < screenshots.size(); i++) {
			if (screenshots.size() > 1) {
				parts.add(new TextPart(i == screenshots.size() - 1 ? "\nCurrent screenshot:"
						: "\nEarlier screenshot " + (i + 1) + ":"));
			}
			parts.add(screenshots.get(i));
		}
		return parts;
	}

}
