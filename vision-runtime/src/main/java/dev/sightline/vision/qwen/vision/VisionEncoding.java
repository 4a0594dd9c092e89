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

	/**
	 * An encode's features once it has finished.
	 * @param result the features, null while blocks are left
	 * @throws IllegalStateException while blocks are left
	 */
	static <R> R finished(R result, int blocksLeft) {
		if (result == null) {
			throw new IllegalStateException("the vision encode has " + blocksLeft + " blocks left");
		}
		return result;
	}

}
