package dev.sightline.vision.qwen.nn;

/**
 * The text decoder's M-RoPE tables (spec §7.2; QWEN3_VL spec §7.2): each of the head's {@code headDim/2} frequency
 * slots takes its angle from the temporal, height or width position; which one is the family's {@link Layout}.
 */
public final class MRope {

	/** How a family assigns the frequency slots to the position axes (0 = t, 1 = h, 2 = w). */
	public enum Layout {

		/**
		 * Qwen2.5-VL: contiguous chunks of {@code mrope_section} slots, {@code T..T H..H W..W} (spec §7.2).
		 */
		CONTIGUOUS {
			@Override
			int[] axes(int half, int[] section) {
				int[] axisOf = new int[half];
				int axis = 0;
				int bound = section[0];
				for (int k = 0; k < half; k++) {
					while (k >= bound && axis < 2) {
						axis++;
						bound += section[axis];
					}
					axisOf[k] = axis;
				}
				return axisOf;
			}
		},

		/**
		 * Qwen3-VL: slot j reads the height position when {@code j % 3 == 1 && j < 3 * section[1]}, the width
		 * position when {@code j % 3 == 2 && j < 3 * section[2]}, else the temporal one ({@code T H W T H W ...
		 * T T T T}; QWEN3_VL spec §7.2).
		 */
		INTERLEAVED {
			@Override
			int[] axes(int half, int[] section) {
				int[] axisOf = new int[half];
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
				return axisOf;
			}
		};

		abstract int[] axes(int half, int[] section);

	}

	private static final int T = 0;

	private static final int H = 1;

	private static final int W = 2;

	private final float[] invFreq;

	private final int[] axisOf;

	/** @param section the config's {@code mrope_section}: frequency slots per axis (t, h, w) */
	public MRope(Layout layout, double ropeTheta, int headDim, int[] section) {
		this.invFreq = RopeTables.inverseFrequencies(ropeTheta, headDim);
		this.axisOf = layout.axes(headDim / 2, section);
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
