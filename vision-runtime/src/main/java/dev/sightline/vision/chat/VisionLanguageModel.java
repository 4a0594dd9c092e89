package dev.sightline.vision.chat;

import java.util.List;

import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * A Qwen2.5-VL that answers a conversation: the in-process DJL runtime or a remote OpenAI-compatible endpoint. The
 * agent sends screenshots already smart-resized to {@link #pixelBudget()}, so any server-side resize is an identity
 * and the model's pixel coordinates refer to the image the agent holds.
 */
public interface VisionLanguageModel extends AutoCloseable {

	/** Called with each decoded piece of text as it is generated; return false to cancel. */
	@FunctionalInterface
	interface TokenListener {

		boolean onText(String piece);

		/**
		 * A piece with the log-probabilities of the tokens picked since the last call (asked for with
		 * {@link OutputControls#topLogprobs()}; else empty). A piece may be empty while tokens still hold part of a
		 * character. Listeners that stream log-probabilities override this; the rest get the non-empty pieces.
		 */
		default boolean onPiece(String piece, List<TokenLogprob> logprobs) {
			return piece.isEmpty() || onText(piece);
		}

		TokenListener NONE = piece -> true;

	}

	Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener);

	default Generation generate(Conversation conversation, GenerationOptions options) {
		return generate(conversation, options, TokenListener.NONE);
	}

	/** The min/max pixels the model's images are resized into (from the checkpoint's preprocessor config). */
	PixelBudget pixelBudget();

	/**
	 * How this model resizes an image: the size it will see a screenshot at, to map its coordinates back with, and
	 * the resize to do once before sending. Qwen2.5-VL's factor (28) unless the model knows its own.
	 */
	default ImageResize imageResize() {
		return ImageResize.qwen25(pixelBudget());
	}

	/** A short name for logs and health: checkpoint folder or served model name. */
	String name();

	/** Engine, natives, device and dtypes of a model running in this JVM; empty for remote or scripted models. */
	default java.util.Optional<dev.sightline.vision.weights.RuntimeInfo> runtime() {
		return java.util.Optional.empty();
	}

	@Override
	default void close() {
	}

}
