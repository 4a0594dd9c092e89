package dev.sightline.vision.qwen.nn;

/**
 * What both families' M-RoPE share (spec §7.2; QWEN3_VL spec §7.2): the inverse frequencies and the cos/sin tables
 * once each frequency slot knows which position axis it reads. Which axis a slot reads is the family's own layout
 * ({@link MRope.Layout}).
 */
public final class RopeTables {

	private RopeTables() {
	}

	/** {@code 1 / theta^(2k / headDim)} for the {@code headDim / 2} slots; the exponent is a float32 division upstream. */
	public static float[] inverseFrequencies(double theta, int headDim) {
		float[] invFreq = new float[headDim / 2];
		for (int k = 0; k < invFreq.length; k++) {
			invFreq[k] = (float) (1.0 / Math.pow(theta, (float) (2 * k) / headDim));
		}
		return invFreq;
	}

	/**
	 * @param positions {@code [3][S]} temporal, height, width positions
	 * @param axisOf the axis (0 = t, 1 = h, 2 = w) each frequency slot reads
	 * @return {cos, sin}, each {@code [S * headDim]} row-major, angles formed in float32 and duplicated over both
	 *         halves for rotate_half
	 */
	public static float[][] tables(long[][] positions, float[] invFreq, int[] axisOf) {
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
