package dev.sightline.vision.qwen.generate;

/** Told of each generated token with the logits it was picked from (before penalties); return false to cancel. */
@FunctionalInterface
public interface StepListener {

	StepListener NONE = (tokenId, logits) -> true;

	boolean onToken(int tokenId, float[] logits);

}
