package dev.sightline.vision.qwen.nn;

import java.util.List;

import dev.sightline.vision.preprocess.GridThw;

/**
 * Where every patch row of a request sits (QWEN3_VL spec §4.4, §6.2-§6.4): processor order is, per item, temporal
 * patch, merged row R, merged column C, then the 2x2 block (dy, dx); a patch's row is {@code 2R + dy}, its column
 * {@code 2C + dx}, restarting for every item and every temporal patch. Attention segments are one temporal patch of
 * one item each.
 *
 * @param rows patch row of every patch, {@code [N]}
 * @param cols patch column of every patch, {@code [N]}
 * @param cuSeqlens segment boundaries {@code [0, h1*w1, ...]}, one segment per temporal patch of each item
 */
public record PatchGrid(int[] rows, int[] cols, int[] cuSeqlens) {

	public static PatchGrid of(List<GridThw> grids, int mergeSize) {
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		int segments = grids.stream().mapToInt(GridThw::t).sum();
		int[] rows = new int[patches];
		int[] cols = new int[patches];
		int[] cu = new int[segments + 1];
		int at = 0;
		int segment = 0;
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
				cu[++segment] = at;
			}
		}
		return new PatchGrid(rows, cols, cu);
	}

	public int patches() {
		return rows.length;
	}

}
