package dev.sightline.tools.profile;

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
import dev.sightline.vision.preprocess.ImageSize;

/**
 * A model family and everything that differs with it in reading answers: the output grammar and its parser, the
 * coordinate space of its answers, how much history the family was trained on. The prompts in each family's form
 * are written in {@code dev.sightline.tools.prompt} (one package for every prompt), keyed by this profile. Every
 * caller (agent loop, ground endpoint, eval harness, test library) goes through the one turn pipeline
 * ({@code dev.sightline.tools.turn}), so no caller tests for a family. Answers leave a profile with points in pixels of the image the model saw, whatever the family's own space,
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
	 * agent conversation keeps {@code sightline.agent.screenshots-in-prompt} of them.
	 */
	public int screenshotsKept() {
		return screenshotsKept;
	}

	/**
	 * Whether the family's history carries its earlier thoughts. Recorded as the family's property; the agent
	 * conversation keeps every family's answers, thoughts included, as assistant turns.
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

	// ---- reading answers (the prompts that ask for them are in dev.sightline.tools.prompt)

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

	/** {@code action} with its points as a model of this family writes them for the model image {@code model}. */
	public Action inOwnSpace(Action action, ImageSize model) {
		return ActionPoints.map(action, point -> coordinates.fromModelPixels(point, model));
	}

	// ---- grounding

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

	@Override
	public String toString() {
		return id;
	}

	private static ModelBox boxOf(ModelPoint topLeft, ModelPoint bottomRight) {
		return new ModelBox(topLeft.xPx(), topLeft.yPx(), bottomRight.xPx(), bottomRight.yPx());
	}

}
