package dev.sightline.vision.qwen.vision;

/**
 * A vision encode that runs a few blocks at a time (so a new image can be encoded beside running decodes), as both
 * families' towers provide it.
 */
public interface VisionEncoding {

	/** Blocks still to run (the merger runs with the last one). */
	int blocksLeft();

	/**
	 * Runs up to {@code maxBlocks} more blocks, and the merger after the last.
	 * @return true once the features are ready
	 */
	boolean advance(int maxBlocks);

}
