package dev.sightline.vision.qwen3;

import java.util.ArrayList;
import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.config.SpecialTokenIds;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;

/**
 * Qwen3-VL prefill positions (QWEN3_VL spec §8): every video grid {@code [t, h, w]} becomes t grids
 * {@code [1, h, w]}, one per {@code <|vision_start|>} run (each frame run carries its own timestamp text), and then
 * the Qwen2.5-VL walk applies unchanged — with t = 1 every run's temporal id is its start position, so no time
 * scaling is involved. Decoding uses {@code cache_position + rope_delta} as before.
 */
public final class Qwen3RopeIndex {

	private final MRopePositions walk;

	public Qwen3RopeIndex(SpecialTokenIds tokens, int spatialMergeSize) {
		// tokens_per_second never matters: every temporal index is 0 inside a run.
		this.walk = new MRopePositions(tokens.imageTokenId(), tokens.videoTokenId(), tokens.visionStartTokenId(),
				spatialMergeSize, 0);
	}

	/**
	 * @param attentionMask {@code [batch][len]}, 1 for real tokens; null for none
	 * @param imageGrids every image of the batch in order; null or empty for none
	 * @param videoGrids every video of the batch in order (not yet split); null or empty for none
	 */
	public RopeIndex compute(long[][] inputIds, long[][] attentionMask, List<GridThw> imageGrids,
			List<GridThw> videoGrids) {
		return walk.compute(inputIds, attentionMask, imageGrids, frameRuns(videoGrids), null);
	}

	/** Each video grid split into its temporal patches, in order (spec §8 step 1). */
	public static List<GridThw> frameRuns(List<GridThw> videoGrids) {
		if (videoGrids == null) {
			return null;
		}
		List<GridThw> runs = new ArrayList<>();
		for (GridThw grid : videoGrids) {
			for (int t = 0; t < grid.t(); t++) {
				runs.add(new GridThw(1, grid.h(), grid.w()));
			}
		}
		return runs;
	}

}
