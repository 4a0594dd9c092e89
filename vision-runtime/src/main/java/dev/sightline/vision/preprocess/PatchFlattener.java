package dev.sightline.vision.preprocess;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Rescale, normalize and patchify in one pass over resized 8-bit frames (spec §4.3-§4.4): each output value is a
 * lookup in a 256-entry table per channel, written straight to its place in {@code pixel_values}. Row order: time
 * group, 2x2 merge-block row, block column, then (mh, mw) inside the block; column order: channel, temporal slot,
 * pixel row, pixel column (a Conv3d weight's flattening order).
 */
public final class PatchFlattener {

	/** Rows of output above which the work splits over all cores. */
	static final int PARALLEL_MIN_ROWS = 1024;

	private final ProcessorConfig config;

	/** {@code float32((float32(float64(v) * rescale) - mean[c]) / std[c])} for every 8-bit value v, per channel. */
	private final float[][] lut;

	public PatchFlattener(ProcessorConfig config) {
		this.config = config;
		this.lut = new float[3][256];
		float[] mean = config.imageMean();
		float[] std = config.imageStd();
		for (int c = 0; c < 3; c++) {
			for (int v = 0; v < 256; v++) {
				float x = (float) (v * config.rescaleFactor());
				lut[c][v] = (x - mean[c]) / std[c];
			}
		}
	}

	/**
	 * Flattens frames of one image or video, all of size {@code size} (sides multiples of patch x merge). A frame
	 * count that is not a multiple of the temporal patch is padded by repeating the last frame.
	 */
	public float[] flatten(List<RgbImage> frames, ImageSize size) {
		int patch = config.patchSize();
		int merge = config.mergeSize();
		int temporal = config.temporalPatchSize();
		GridThw grid = grid(frames.size(), size);
		int gh = grid.h();
		int gw = grid.w();
		int blocksW = gw / merge;
		int rowWidth = config.patchValues();
		int width = size.widthPx();
		float[] out = new float[Math.multiplyExact(grid.patches(), rowWidth)];
		int rowsPerGroup = gh * gw;
		int plane = patch * patch;
		int frameCount = frames.size();
		float[] lutR = lut[0];
		float[] lutG = lut[1];
		float[] lutB = lut[2];
		IntStream rows = IntStream.range(0, grid.t() * (gh / merge));
		// One task per (time group, block row). Rows are written in output order, so stores stream; a temporal
		// slot holding the same frame as the slot before (a still image, a padded clip) is a copy of its values.
		(grid.patches() >= PARALLEL_MIN_ROWS ? rows.parallel() : rows).forEach(task -> {
			int g = task / (gh / merge);
			int bh = task % (gh / merge);
			int row = g * rowsPerGroup + bh * blocksW * merge * merge;
			for (int bw = 0; bw < blocksW; bw++) {
				for (int mh = 0; mh < merge; mh++) {
					for (int mw = 0; mw < merge; mw++, row++) {
						int base = row * rowWidth;
						int left = (bw * merge + mw) * patch * 3;
						int top = (bh * merge + mh) * patch;
						for (int slot = 0; slot < temporal; slot++) {
							int frame = Math.min(g * temporal + slot, frameCount - 1);
							int r = base + slot * plane;
							int stride = temporal * plane;
							if (slot > 0 && frame == Math.min(g * temporal + slot - 1, frameCount - 1)) {
								for (int c = 0; c < 3; c++) {
									System.arraycopy(out, r + c * stride - plane, out, r + c * stride, plane);
								}
								continue;
							}
							byte[] rgb = frames.get(frame).rgb();
							for (int py = 0; py < patch; py++, r += patch) {
								int src = (top + py) * width * 3 + left;
								for (int px = 0; px < patch; px++, src += 3) {
									out[r + px] = lutR[rgb[src] & 0xFF];
									out[r + stride + px] = lutG[rgb[src + 1] & 0xFF];
									out[r + 2 * stride + px] = lutB[rgb[src + 2] & 0xFF];
								}
							}
						}
					}
				}
			}
		});
		return out;
	}

	/** The grid of {@code frameCount} frames of {@code size}, after padding to the temporal patch. */
	public GridThw grid(int frameCount, ImageSize size) {
		int factor = config.factor();
		if (size.widthPx() % factor != 0 || size.heightPx() % factor != 0) {
			throw new InvalidImageException("frames to patchify must have sides that are multiples of " + factor
					+ ", got " + size);
		}
		if (frameCount < 1) {
			throw new InvalidImageException("at least one frame is needed to build patches, got 0");
		}
		int temporal = config.temporalPatchSize();
		int groups = (frameCount + temporal - 1) / temporal;
		return new GridThw(groups, size.heightPx() / config.patchSize(), size.widthPx() / config.patchSize());
	}

}
