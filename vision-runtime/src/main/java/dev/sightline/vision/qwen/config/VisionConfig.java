package dev.sightline.vision.qwen.config;

import java.util.Arrays;

import dev.sightline.vision.weights.CheckpointException;

/**
 * The vision tower's sizes from {@code config.json}'s {@code vision_config} (spec §2.1, §6).
 *
 * @param windowSize window side in pixels; a multiple of {@code patchSize * spatialMergeSize}
 * @param fullattBlockIndexes blocks that attend over a whole image or frame instead of a window
 */
public record VisionConfig(int depth, int hiddenSize, int intermediateSize, int numHeads, int inChannels,
		int outHiddenSize, int patchSize, int spatialMergeSize, int temporalPatchSize, int windowSize,
		int[] fullattBlockIndexes, double tokensPerSecond, HiddenAct hiddenAct) {

	public VisionConfig {
		ConfigJson.positive("vision_config.depth", depth);
		ConfigJson.positive("vision_config.hidden_size", hiddenSize);
		ConfigJson.positive("vision_config.intermediate_size", intermediateSize);
		ConfigJson.positive("vision_config.num_heads", numHeads);
		ConfigJson.positive("vision_config.in_chans", inChannels);
		ConfigJson.positive("vision_config.out_hidden_size", outHiddenSize);
		ConfigJson.positive("vision_config.patch_size", patchSize);
		ConfigJson.positive("vision_config.spatial_merge_size", spatialMergeSize);
		ConfigJson.positive("vision_config.temporal_patch_size", temporalPatchSize);
		ConfigJson.positive("vision_config.window_size", windowSize);
		if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 4 != 0) {
			throw new CheckpointException("config.json: vision_config.hidden_size " + hiddenSize
					+ " / num_heads " + numHeads + " must give a head dim that is a multiple of 4 (2-D rotary)");
		}
		if (windowSize % (patchSize * spatialMergeSize) != 0) {
			throw new CheckpointException("config.json: vision_config.window_size " + windowSize
					+ " must be a multiple of patch_size * spatial_merge_size = " + patchSize * spatialMergeSize);
		}
		fullattBlockIndexes = fullattBlockIndexes.clone();
		for (int index : fullattBlockIndexes) {
			if (index < 0 || index >= depth) {
				throw new CheckpointException("config.json: vision_config.fullatt_block_indexes "
						+ Arrays.toString(fullattBlockIndexes) + " must lie within [0, depth " + depth + ")");
			}
		}
		if (!(tokensPerSecond > 0)) {
			throw new CheckpointException(
					"config.json: vision_config.tokens_per_second must be > 0, got " + tokensPerSecond);
		}
		HiddenAct.require("vision_config.hidden_act", hiddenAct.configName(), HiddenAct.SILU);
	}

	public int headDim() {
		return hiddenSize / numHeads;
	}

	/** Values in one flattened patch row: channels × temporal × patch × patch (1176 for the shipped models). */
	public int patchRowWidth() {
		return inChannels * temporalPatchSize * patchSize * patchSize;
	}

	/** Merged cells per window side (4 for the shipped models). */
	public int mergedWindowSide() {
		return windowSize / spatialMergeSize / patchSize;
	}

	/** Patches per merged cell (4). */
	public int mergeUnit() {
		return spatialMergeSize * spatialMergeSize;
	}

	public boolean isFullAttention(int block) {
		return Arrays.stream(fullattBlockIndexes).anyMatch(i -> i == block);
	}

	@Override
	public int[] fullattBlockIndexes() {
		return fullattBlockIndexes.clone();
	}

}
