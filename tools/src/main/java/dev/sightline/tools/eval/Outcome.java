package dev.sightline.tools.eval;

/** How one item ended. Only {@link #HIT} counts as correct; every other outcome is in the misses page. */
public enum Outcome {

	/** The predicted point, mapped back to the original image, lies inside the annotated box. */
	HIT,
	/** A point was predicted elsewhere (inside or outside the image). */
	MISS,
	/** The answer held no point the grounding parser could read. */
	WRONG_FORMAT,
	/** The model call failed (endpoint error, unreadable image). */
	ERROR

}
