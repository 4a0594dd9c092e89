package dev.sightline.vision.qwen.nn;

/**
 * 2-D rotary tables of the vision towers (spec §6.2; QWEN3_VL spec §6.3): per patch, the first half of the head's
 * frequencies rotate with its row, the second half with its column ({@link PatchGrid}), duplicated over both halves
 * of the head. Computed in float32 like the reference.
 */
public final class VisionRotary {

	private static final double THETA = 10_000;

	private VisionRotary() {
	}

	/**
	 * @param patchOrder the tower's patch order (Qwen2.5-VL's window order; identity for Qwen3-VL), so the tables
	 * line up with the hidden states
	 * @return {cos, sin}, each {@code [patches * headDim]} row-major
	 */
	public static float[][] tables(PatchGrid layout, int headDim, int[] patchOrder) {
		int[] rows = layout.rows();
		int[] cols = layout.cols();
		int patches = layout.patches();
		int rotaryDim = headDim / 2;
		int frequencies = rotaryDim / 2;
		float[] invFreq = new float[frequencies];
		for (int k = 0; k < frequencies; k++) {
			invFreq[k] = (float) (1.0 / Math.pow(THETA, (float) (2 * k) / rotaryDim));
		}
		float[] cos = new float[patches * headDim];
		float[] sin = new float[patches * headDim];
		for (int i = 0; i < patches; i++) {
			int source = patchOrder[i];
			int base = i * headDim;
			for (int k = 0; k < frequencies; k++) {
				float rowAngle = rows[source] * invFreq[k];
				float colAngle = cols[source] * invFreq[k];
				set(cos, sin, base, k, rowAngle, rotaryDim);
				set(cos, sin, base, frequencies + k, colAngle, rotaryDim);
			}
		}
		return new float[][] { cos, sin };
	}

	/** The identity patch order of {@code patches} patches. */
	public static int[] identity(int patches) {
		int[] order = new int[patches];
		for (int i = 0; i < patches; i++) {
			order[i] = i;
		}
		return order;
	}

	private static void set(float[] cos, float[] sin, int base, int slot, float angle, int half) {
		float c = (float) Math.cos(angle);
		float s = (float) Math.sin(angle);
		cos[base + slot] = c;
		cos[base + half + slot] = c;
		sin[base + slot] = s;
		sin[base + half + slot] = s;
	}

}
