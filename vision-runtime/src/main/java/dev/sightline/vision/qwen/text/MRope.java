package dev.sightline.vision.qwen.text;

import dev.sightline.vision.qwen.config.TextConfig;

/**
 * M-RoPE tables (spec §7.2): each of the head's {@code headDim/2} frequencies takes its angle from the temporal,
 * height or width position according to {@code mrope_section} (contiguous chunks, repeated for both halves).
 */
final class MRope {

	private final float[] invFreq;

	private final int[] axisOf;

	MRope(TextConfig config) {
		int half = config.headDim() / 2;
		invFreq = RopeTables.inverseFrequencies(config.ropeTheta(), config.headDim());
		axisOf = new int[half];
		int[] section = config.mropeSection();
		int axis = 0;
		int bound = section[0];
		for (int k = 0; k < half; k++) {
			while (k >= bound && axis < 2) {
				axis++;
				bound += section[axis];
			}
			axisOf[k] = axis;
		}
	}

	/**
	 * @param positions {@code [3][S]} temporal, height, width positions
	 * @return {cos, sin}, each {@code [S * headDim]} row-major, angles formed in float32
	 */
	float[][] tables(long[][] positions) {
		return RopeTables.tables(positions, invFreq, axisOf);
	}

}
