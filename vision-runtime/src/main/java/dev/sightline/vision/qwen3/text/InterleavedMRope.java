package dev.sightline.vision.qwen3.text;

import dev.sightline.vision.qwen.text.RopeTables;
import dev.sightline.vision.qwen3.config.Qwen3TextConfig;

/**
 * Interleaved M-RoPE tables (QWEN3_VL spec §7.2): frequency slot j takes its angle from the height position when
 * {@code j % 3 == 1 && j < 3 * section[1]}, from the width position when {@code j % 3 == 2 && j < 3 * section[2]},
 * else from the temporal one ({@code T H W T H W ... T T T T}); the {@code headDim/2} angles are duplicated over both
 * halves for rotate_half. Qwen2.5-VL's contiguous layout is {@code qwen.text.MRope}: a different model.
 */
public final class InterleavedMRope {

	private static final int T = 0;

	private static final int H = 1;

	private static final int W = 2;

	private final float[] invFreq;

	private final int[] axisOf;

	public InterleavedMRope(Qwen3TextConfig config) {
		int half = config.headDim() / 2;
		int[] section = config.mropeSection();
		invFreq = RopeTables.inverseFrequencies(config.ropeTheta(), config.headDim());
		axisOf = new int[half];
		for (int j = 0; j < half; j++) {
			if (j % 3 == 1 && j < 3 * section[1]) {
				axisOf[j] = H;
			}
			else if (j % 3 == 2 && j < 3 * section[2]) {
				axisOf[j] = W;
			}
			else {
				axisOf[j] = T;
			}
		}
	}

	/** The axis (0 = t, 1 = h, 2 = w) each frequency slot reads. */
	public int[] axes() {
		return axisOf.clone();
	}

	/**
	 * @param positions {@code [3][S]} temporal, height, width positions
	 * @return {cos, sin}, each {@code [S * headDim]} row-major, angles formed in float32
	 */
	public float[][] tables(long[][] positions) {
		return RopeTables.tables(positions, invFreq, axisOf);
	}

}
