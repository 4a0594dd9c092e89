package dev.sightline.vision.qwen.vision;

import java.util.List;

import dev.sightline.vision.preprocess.GridThw;

/**
 * 2-D rotary tables of the vision tower (spec §6.2): per patch, the first half of the head's frequencies rotate with
 * its row, the second half with its column, duplicated over both halves of the head. Computed in float32 like the
 * reference. Qwen3-VL's tower uses the same tables in processor order (QWEN3_VL spec §6.3).
 */
public final class VisionRotary {

	private static final double THETA = 10_000;

	private VisionRotary() {
	}

	/**
	 * @param patchOrder the tower's patch order ({@link WindowPartition#patchOrder}), so the tables line up with
	 * the reordered hidden states
	 * @return {cos, sin}, each {@code [patches * headDim]} row-major
	 */
	public static float[][] tables(List<GridThw> grids, int headDim, int mergeSize, int[] patchOrder) {
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		int[] rows = new int[patches];
		int[] cols = new int[patches];
		int at = 0;
		for (GridThw grid : grids) {
			for (int t = 0; t < grid.t(); t++) {
				for (int by = 0; by < grid.h() / mergeSize; by++) {
					for (int bx = 0; bx < grid.w() / mergeSize; bx++) {
						for (int dy = 0; dy < mergeSize; dy++) {
							for (int dx = 0; dx < mergeSize; dx++) {
								rows[at] = by * mergeSize + dy;
								cols[at] = bx * mergeSize + dx;
								at++;
							}
						}
					}
				}
			}
		}
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

	private static void set(float[] cos, float[] sin, int base, int slot, float angle, int half) {
		float c = (float) Math.cos(angle);
		float s = (float) Math.sin(angle);
		cos[base + slot] = c;
		cos[base + half + slot] = c;
		sin[base + slot] = s;
		sin[base + half + slot] = s;
	}

}
