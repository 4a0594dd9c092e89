package dev.sightline.vision.qwen.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sightline.vision.preprocess.GridThw;

/**
 * Window partition of the merged patch grid and the attention segments (spec §6.3, upstream
 * {@code get_window_index}): the order the tower runs patches in, window by window, and where each window and each
 * image / temporal slice begins in that order.
 *
 * @param windowIndex for each merged cell in window order, its index in the processor's order
 * @param cuWindowSeqlens patch offsets of the windows in window order, empty windows removed
 * @param cuSeqlens patch offsets of each image / temporal slice (the full-attention segments)
 */
public record WindowPartition(int[] windowIndex, int[] cuWindowSeqlens, int[] cuSeqlens) {

	public static WindowPartition of(List<GridThw> grids, int mergeSize, int mergedWindowSide) {
		int mergeUnit = mergeSize * mergeSize;
		int ws = mergedWindowSide;
		List<Integer> index = new ArrayList<>();
		List<Integer> cuWindow = new ArrayList<>(List.of(0));
		List<Integer> cu = new ArrayList<>(List.of(0));
		int offset = 0;
		for (GridThw grid : grids) {
			int gh = grid.h() / mergeSize;
			int gw = grid.w() / mergeSize;
			// Upstream pads by a whole window when the grid divides evenly; those windows are empty and vanish below.
			int windowRows = (gh + ws - gh % ws) / ws;
			int windowCols = (gw + ws - gw % ws) / ws;
			for (int t = 0; t < grid.t(); t++) {
				for (int wr = 0; wr < windowRows; wr++) {
					for (int wc = 0; wc < windowCols; wc++) {
						int count = 0;
						for (int y = wr * ws; y < Math.min(gh, wr * ws + ws); y++) {
							for (int x = wc * ws; x < Math.min(gw, wc * ws + ws); x++) {
								index.add(offset + t * gh * gw + y * gw + x);
								count++;
							}
						}
						int last = cuWindow.get(cuWindow.size() - 1);
						if (count > 0) {
							cuWindow.add(last + count * mergeUnit);
						}
					}
				}
				cu.add(cu.get(cu.size() - 1) + grid.h() * grid.w());
			}
			offset += grid.t() * gh * gw;
		}
		return new WindowPartition(toArray(index), toArray(cuWindow), toArray(cu));
	}

	/** Patches in the tower's order: row {@code i} of the reordered states is row {@code patchOrder()[i]} of the input. */
	public int[] patchOrder(int mergeUnit) {
		int[] order = new int[windowIndex.length * mergeUnit];
		for (int j = 0; j < windowIndex.length; j++) {
			for (int u = 0; u < mergeUnit; u++) {
				order[j * mergeUnit + u] = windowIndex[j] * mergeUnit + u;
			}
		}
		return order;
	}

	/** {@code argsort(windowIndex)}: gathers merged cells back into the processor's order (spec §6.5). */
	public int[] inverseMergedOrder() {
		int[] inverse = new int[windowIndex.length];
		for (int j = 0; j < windowIndex.length; j++) {
			inverse[windowIndex[j]] = j;
		}
		return inverse;
	}

	/** Longest window in patches. */
	public int maxWindowLength() {
		int max = 0;
		for (int i = 1; i < cuWindowSeqlens.length; i++) {
			max = Math.max(max, cuWindowSeqlens[i] - cuWindowSeqlens[i - 1]);
		}
		return max;
	}

	public int windows() {
		return cuWindowSeqlens.length - 1;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof WindowPartition p && Arrays.equals(windowIndex, p.windowIndex)
				&& Arrays.equals(cuWindowSeqlens, p.cuWindowSeqlens) && Arrays.equals(cuSeqlens, p.cuSeqlens);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(windowIndex) * 31 + Arrays.hashCode(cuWindowSeqlens);
	}

	@Override
	public String toString() {
		return "WindowPartition[windows=" + windows() + ", cuSeqlens=" + Arrays.toString(cuSeqlens) + "]";
	}

	private static int[] toArray(List<Integer> values) {
		return values.stream().mapToInt(Integer::intValue).toArray();
	}

}
