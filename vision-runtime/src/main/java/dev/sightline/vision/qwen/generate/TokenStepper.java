package dev.sightline.vision.qwen.generate;

/** The model side of decoding: feeds one token and returns the logits of the next position. */
@FunctionalInterface
public interface TokenStepper {

	float[] step(long tokenId);

}
