package dev.sightline.vision.weights;

/**
 * The one place that knows the two checkpoint key layouts (spec §3.3). Every key is normalised to the published
 * form ({@code model.layers.*}, {@code visual.*}, {@code lm_head.weight}) before lookup, so model code names tensors
 * exactly as the published checkpoints do.
 */
public final class TensorNames {

	private static final String NEW_VISION = "model.visual.";

	private static final String NEW_TEXT = "model.language_model.";

	private TensorNames() {
	}

	/** The published-layout name of a key from either layout. */
	public static String canonical(String key) {
		if (key.startsWith(NEW_VISION)) {
			return "visual." + key.substring(NEW_VISION.length());
		}
		if (key.startsWith(NEW_TEXT)) {
			return "model." + key.substring(NEW_TEXT.length());
		}
		return key;
	}

	/** The newer transformers ({@code save_pretrained} ≥ 4.52) name of a published-layout key. */
	public static String newLayout(String canonical) {
		if (canonical.startsWith("visual.")) {
			return NEW_VISION + canonical.substring("visual.".length());
		}
		if (canonical.startsWith("model.")) {
			return NEW_TEXT + canonical.substring("model.".length());
		}
		return canonical;
	}

}
