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
		invFreq = new float[half];
		axisOf = new int[half];
		int[] section = config.mropeSection();
		int axis = 0;
		int bound = section[0];
		for (int k = 0; k < half; k++) {
			invFreq[k] = (float) (1.0 / Math.pow(config.ropeTheta(), (float) (2 * k) / config.headDim()));
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
		int tokens = positions[0].length;
		int half = invFreq.length;
		int headDim = 2 * half;
		float[] cos = new float[tokens * headDim];
		float[] sin = new float[tokens * headDim];
		for (int s = 0; s < tokens; s++) {
			for (int k = 0; k < half; k++) {
				float angle = (float) positions[axisOf[k]][s] * invFreq[k];
				float c = (float) Math.cos(angle);
				float si = (float) Math.sin(angle);
				cos[s * headDim + k] = c;
				cos[s * headDim + half + k] = c;
				sin[s * headDim + k] = si;
				sin[s * headDim + half + k] = si;
			}
		}
		return new float[][] { cos, sin };
	}

}
