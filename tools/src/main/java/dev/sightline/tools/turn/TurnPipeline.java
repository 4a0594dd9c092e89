package dev.sightline.tools.turn;

import java.util.List;
import java.util.function.BooleanSupplier;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * One turn of any caller: {@link #view} a screenshot as the model gets it, {@link #ask} the model a conversation built
 * around that view, read the answer with the family's profile ({@link #actions}, {@link #locate}) into points of the
 * image the model saw, which the reply's mapping takes to the screen. Stateless and thread-safe as its model is.
 */
public final class TurnPipeline {

	private final VisionLanguageModel model;

	private final ModelProfile profile;

	public TurnPipeline(VisionLanguageModel model, ModelProfile profile) {
		this.model = model;
		this.profile = profile;
	}

	public ModelProfile profile() {
		return profile;
	}

	public VisionLanguageModel model() {
		return model;
	}

	/** The screenshot resized once by the model's own rule. */
	public ModelView view(Screenshot shot) {
		return ModelView.of(shot, model.imageResize());
	}

	/** An image a caller sent, resized once by the model's own rule. */
	public ModelView view(byte[] encodedImage) {
		return ModelView.ofImage(encodedImage, model.imageResize());
	}

	/**
	 * Asks the model; {@code view} is the screen the answer's points refer to (the conversation's last image).
	 */
	public Reply ask(Conversation conversation, GenerationOptions options, ModelView view) {
		return ask(conversation, options, view, () -> true);
	}

	/**
	 * As {@link #ask(Conversation, GenerationOptions, ModelView)}, stopping the generation (and freeing its place in
	 * a shared batch) as soon as {@code keepGoing} turns false, e.g. when the task was cancelled meanwhile.
	 */
	public Reply ask(Conversation conversation, GenerationOptions options, ModelView view, BooleanSupplier keepGoing) {
		long start = System.nanoTime();
		Generation generation = model.generate(conversation, options, piece -> keepGoing.getAsBoolean());
		return reply(generation, view, (System.nanoTime() - start) / 1e6);
	}

	/** A generation obtained elsewhere (a call the caller runs on its own thread) read against {@code view}. */
	public static Reply reply(Generation generation, ModelView view, double modelMs) {
		return new Reply(generation, seen(generation, view), modelMs);
	}

	/**
	 * The computer-use actions of {@code answerText} (the reply's text, or a redacted form of it), points in pixels
	 * of the image the model saw; {@link Reply#mapping()} takes them to the screen.
	 *
	 * @throws dev.sightline.tools.parse.UnparseableOutputException when the answer holds no usable action
	 */
	public List<Action> actions(Reply reply, String answerText) {
		return profile.parseActions(answerText, reply.mapping().model());
	}

	/**
	 * The first element of a grounding answer.
	 *
	 * @throws dev.sightline.tools.parse.UnparseableOutputException when the answer holds no point
	 */
	public Located locate(Reply reply) {
		return new Located(profile.parseGrounding(reply.text(), reply.mapping().model()), reply.mapping());
	}

	/** The view's mapping, re-based on the size the model reports for the last image when it reports one. */
	private static CoordinateMapping seen(Generation generation, ModelView view) {
		List<ImageSize> sizes = generation.imageSizes();
		return sizes.isEmpty() ? view.mapping() : view.mapping().seenAt(sizes.getLast());
	}

}
