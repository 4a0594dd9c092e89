package dev.sightline.vision.qwen3.vision;

import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.nn.PatchGrid;

/**
 * The taps of the learned position table for every patch (QWEN3_VL spec §6.2): the {@code N x N} table is resampled
 * bilinearly, align-corners, to each item's {@code h x w} patch grid ({@code y_i = i (N-1)/(h-1)}), repeated for
 * every temporal patch and read in processor order. The tower turns the taps into one gather and a weighted sum.
 *
 * @param indices {@code [N_patches * 4]} table rows: (y0,x0), (y0,x1), (y1,x0), (y1,x1) per patch
 * @param weights {@code [N_patches * 4]} matching bilinear weights, summed in this order as upstream does
 */
public record PositionInterpolation(long[] indices, float[] weights) {

	public static PositionInterpolation of(List<GridThw> grids, PatchGrid layout, int tableSide) {
		int patches = layout.patches();
		long[] indices = new long[patches * 4];
		float[] weights = new float[patches * 4];
		int at = 0;
		for (GridThw grid : grids) {
			double[] ys = coordinates(grid.h(), tableSide);
			double[] xs = coordinates(grid.w(), tableSide);
			for (int i = 0; i < grid.patches(); i++, at++) {
				double y = ys[layout.rows()[at]];
				double x = xs[layout.cols()[at]];
				int y0 = (int) Math.floor(y);
				int x0 = (int) Math.floor(x);
				int y1 = Math.min(y0 + 1, tableSide - 1);
				int x1 = Math.min(x0 + 1, tableSide - 1);
				double dy = y - y0;
				double dx = x - x0;
				int base = at * 4;
				indices[base] = (long) y0 * tableSide + x0;
				indices[base + 1] = (long) y0 * tableSide + x1;
				indices[base + 2] = (long) y1 * tableSide + x0;
				indices[base + 3] = (long) y1 * tableSide + x1;
				weights[base] = (float) ((1 - dy) * (1 - dx));
				weights[base + 1] = (float) ((1 - dy) * dx);
				weights[base + 2] = (float) (dy * (1 - dx));
				weights[base + 3] = (float) (dy * dx);
			}
		}
		return new PositionInterpolation(indices, weights);
	}

	/** {@code linspace(0, N-1, count)}; a single row or column reads row 0 of the table. */
	private static double[] coordinates(int count, int tableSide) {
		double[] out = new double[count];
		for (int i = 0; i < count; i++) {
			out[i] = count == 1 ? 0 : i * (double) (tableSide - 1) / (count - 1);
		}
		return out;
	}

}
