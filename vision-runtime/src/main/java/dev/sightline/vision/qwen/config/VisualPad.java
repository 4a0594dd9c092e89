package dev.sightline.vision.qwen.config;

import java.util.Locale;


/**
 * The two kinds of visual placeholder a prompt holds (spec §9; QWEN3_VL spec §9): every pad token takes one row of
 * its kind's merged vision features, in order.
 */
public enum VisualPad {

	IMAGE, VIDEO;

	/** This kind's name in messages ("image", "video"). */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** This kind's pad token id in the family's vocabulary. */
	public int tokenId(SpecialTokenIds tokens) {
		return this == IMAGE ? tokens.imageTokenId() : tokens.videoTokenId();
	}

	/**
	 * @param pads this kind's pad tokens in the prompt
	 * @param features this kind's merged feature rows from the vision tower
	 * @throws IllegalArgumentException unless they are as many
	 */
	public void requireFeatures(int pads, long features) {
		if (pads != features) {
			String kind = label();
			throw new IllegalArgumentException("prompt has " + pads + " " + kind + " placeholder tokens but the "
					+ kind + "s give " + features + " features (t*h*w/4 per item)");
		}
	}

}
