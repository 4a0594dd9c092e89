package dev.sightline.vision.qwen.rope;

import java.util.Arrays;
import java.util.List;

import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.config.VisualPad;

/**
 * Qwen2.5-VL's {@code get_rope_index} (spec §7.3) and the decoding rule (§7.4): 3-axis position ids for text, image
 * and video tokens. Vision tokens get (time, merged row, merged column) ids offset by the text before them; text
 * continues from the largest id so far plus one. Video time ids follow absolute time: {@code t * second_per_grid_t *
 * tokens_per_second}, formed in float32 and truncated only at the end (golden README "rope_index", float rule).
 */
public final class MRopePositions {

	private final int imageTokenId;

	private final int videoTokenId;

	private final int visionStartTokenId;

	private final int spatialMergeSize;

	private final float tokensPerSecond;

	public MRopePositions(int imageTokenId, int videoTokenId, int visionStartTokenId, int spatialMergeSize,
			double tokensPerSecond) {
		if (spatialMergeSize < 1) {
			throw new IllegalArgumentException("spatial_merge_size must be at least 1, got " + spatialMergeSize);
		}
		if (!(tokensPerSecond >= 0) || !Double.isFinite(tokensPerSecond)) {
			throw new IllegalArgumentException("tokens_per_second must be a finite number >= 0, got "
					+ tokensPerSecond);
		}
		this.imageTokenId = imageTokenId;
		this.videoTokenId = videoTokenId;
		this.visionStartTokenId = visionStartTokenId;
		this.spatialMergeSize = spatialMergeSize;
		this.tokensPerSecond = (float) tokensPerSecond;
	}

	/** Position of a token generated after prefill: {@code cache_position + rope_delta} on all three axes. */
	public static long decodePosition(long cachePosition, long ropeDelta) {
		return cachePosition + ropeDelta;
	}

	/**
	 * @param inputIds {@code [batch][len]}
	 * @param attentionMask {@code [batch][len]} with 1 for real tokens and 0 for padding; null means all ones
	 * @param imageGrids grids of all images of the batch, in order of appearance
	 * @param videoGrids grids of all videos of the batch, in order of appearance
	 * @param secondPerGridTs seconds covered by one temporal grid step of each video; null means 1.0 for each
	 */
	public RopeIndex compute(long[][] inputIds, long[][] attentionMask, List<GridThw> imageGrids,
			List<GridThw> videoGrids, float[] secondPerGridTs) {
		int batch = inputIds.length;
		int len = batch == 0 ? 0 : inputIds[0].length;
		for (int b = 0; b < batch; b++) {
			if (inputIds[b].length != len || (attentionMask != null && attentionMask[b].length != len)) {
				throw new VisionRuntimeException("batch row " + b + " has " + inputIds[b].length
						+ " ids but row 0 has " + len + (attentionMask == null ? "" : " (mask rows must match too)"));
			}
		}
		if (secondPerGridTs != null && videoGrids != null && secondPerGridTs.length != videoGrids.size()) {
			throw new VisionRuntimeException("second_per_grid_ts has " + secondPerGridTs.length + " entries for "
					+ videoGrids.size() + " videos");
		}
		long[][][] positions = new long[3][batch][len];
		long[] deltas = new long[batch];
		boolean anyGrid = imageGrids != null || videoGrids != null;
		int[] next = { 0, 0 }; // by VisualPad: next unused image grid, video grid; consumed across the whole batch
		for (int b = 0; b < batch; b++) {
			long[] mask = attentionMask == null ? null : attentionMask[b];
			long[] kept = keptIds(inputIds[b], mask);
			long[][] rowPositions = anyGrid ? visionRow(kept, imageGrids, videoGrids, secondPerGridTs, next, b)
					: textRow(kept.length, 0);
			long max = Long.MIN_VALUE;
			int k = 0;
			for (int s = 0; s < len; s++) {
				boolean real = mask == null || mask[s] == 1;
				for (int axis = 0; axis < 3; axis++) {
					positions[axis][b][s] = real ? rowPositions[axis][k] : 1;
					// Upstream takes the text-only maximum over pads too (they hold 1), the vision one over real ids.
					if (real || !anyGrid) {
						max = Math.max(max, positions[axis][b][s]);
					}
				}
				if (real) {
					k++;
				}
			}
			if (!anyGrid && mask == null) {
				deltas[b] = 0;
			}
			else {
				deltas[b] = max == Long.MIN_VALUE ? 0 : max + 1 - len;
			}
		}
		return new RopeIndex(positions, deltas);
	}

	private static long[] keptIds(long[] ids, long[] mask) {
		if (mask == null) {
			return ids;
		}
		return java.util.stream.IntStream.range(0, ids.length).filter(s -> mask[s] == 1).mapToLong(s -> ids[s])
			.toArray();
	}

	private static long[][] textRow(int n, long start) {
		long[][] out = new long[3][n];
		for (int axis = 0; axis < 3; axis++) {
			for (int s = 0; s < n; s++) {
				out[axis][s] = start + s;
			}
		}
		return out;
	}

	private long[][] visionRow(long[] ids, List<GridThw> imageGrids, List<GridThw> videoGrids, float[] secondPerGridTs,
			int[] next, int row) {
		int images = 0;
		int videos = 0;
		for (int s = 0; s + 1 < ids.length; s++) {
			if (ids[s] == visionStartTokenId) {
				images += ids[s + 1] == imageTokenId ? 1 : 0;
				videos += ids[s + 1] == videoTokenId ? 1 : 0;
			}
		}
		long[][] out = new long[3][ids.length];
		int st = 0;
		long nextStart = 0; // max id so far + 1
		int remainingImages = images;
		int remainingVideos = videos;
		for (int v = 0; v < images + videos; v++) {
			int edImage = remainingImages > 0 ? indexOf(ids, imageTokenId, st) : Integer.MAX_VALUE;
			int edVideo = remainingVideos > 0 ? indexOf(ids, videoTokenId, st) : Integer.MAX_VALUE;
			GridThw grid;
			float secondPerGridT;
			int ed;
			if (edImage < edVideo) {
				grid = nextGrid(imageGrids, next, VisualPad.IMAGE, row);
				secondPerGridT = 0;
				remainingImages--;
				ed = edImage;
			}
			else {
				if (edVideo == Integer.MAX_VALUE) {
					throw new VisionRuntimeException("row " + row + ": a <|vision_start|> is followed by a vision "
							+ "token, but no matching image/video token was found after position " + st);
				}
				int videoIndex = next[VisualPad.VIDEO.ordinal()];
				grid = nextGrid(videoGrids, next, VisualPad.VIDEO, row);
				secondPerGridT = secondPerGridTs == null ? 1.0f : secondPerGridTs[videoIndex];
				remainingVideos--;
				ed = edVideo;
			}
			int gt = grid.t();
			int gh = grid.h() / spatialMergeSize;
			int gw = grid.w() / spatialMergeSize;
			int textLen = ed - st;
			for (int s = 0; s < textLen; s++) {
				for (int axis = 0; axis < 3; axis++) {
					out[axis][st + s] = nextStart + s;
				}
			}
			long base = nextStart + textLen;
			int tokens = gt * gh * gw;
			if (ed + tokens > ids.length) {
				throw new VisionRuntimeException("row " + row + ": grid " + grid + " needs " + tokens
						+ " vision tokens from position " + ed + " but the row has only " + ids.length + " tokens");
			}
			long max = base;
			int at = ed;
			for (int t = 0; t < gt; t++) {
				// Float rule: the product is formed in float32 and only the final value is truncated.
				long timeId = (long) ((float) t * secondPerGridT * tokensPerSecond);
				for (int h = 0; h < gh; h++) {
					for (int w = 0; w < gw; w++) {
						out[0][at] = base + timeId;
						out[1][at] = base + h;
						out[2][at] = base + w;
						max = Math.max(max, Math.max(base + timeId, Math.max(base + h, base + w)));
						at++;
					}
				}
			}
			nextStart = max + 1;
			st = ed + tokens;
		}
		for (int s = st; s < ids.length; s++) {
			for (int axis = 0; axis < 3; axis++) {
				out[axis][s] = nextStart + (s - st);
			}
		}
		return out;
	}

	private static GridThw nextGrid(List<GridThw> grids, int[] next, VisualPad kind, int row) {
		int which = kind.ordinal();
		if (grids == null || next[which] >= grids.size()) {
			throw new VisionRuntimeException("row " + row + " has more " + kind.label() + "s than the "
					+ (grids == null ? 0 : grids.size()) + " " + kind.label() + " grids given");
		}
		return grids.get(next[which]++);
	}

	private static int indexOf(long[] ids, long token, int from) {
		for (int s = from; s < ids.length; s++) {
			if (ids[s] == token) {
				return s;
			}
		}
		return Integer.MAX_VALUE;
	}

	@Override
	public String toString() {
		return "MRopePositions" + Arrays.asList(imageTokenId, videoTokenId, visionStartTokenId, spatialMergeSize)
				+ " tokens_per_second=" + tokensPerSecond;
	}

}
