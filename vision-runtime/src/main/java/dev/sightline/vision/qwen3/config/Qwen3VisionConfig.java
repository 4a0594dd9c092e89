package dev.sightline.vision.qwen3.config;

import java.util.Arrays;

import dev.sightline.vision.qwen.config.ConfigJson;
import dev.sightline.vision.weights.CheckpointException;

/**
 * The Qwen3-VL vision tower's sizes from {@code config.json} {@code vision_config} (QWEN3_VL spec §2.1, §6).
 *
 * @param numPositionEmbeddings rows of the learned position table, a square {@code N x N} (2304 = 48²)
 * @param deepstackVisualIndexes 0-based vision blocks whose outputs feed DeepStack merger k (§6.5)
 * @param outHiddenSize width of the merged tokens, the text hidden size
 */
public record Qwen3VisionConfig(int depth, int hiddenSize, int intermediateSize, int numHeads, int inChannels,
		int outHiddenSize, int patchSize, int spatialMergeSize, int temporalPatchSize, int numPositionEmbeddings,
		int[] deepstackVisualIndexes) {

	public Qwen3VisionConfig {
		ConfigJson.positive("vision_config.depth", depth);
		ConfigJson.positive("vision_config.hidden_size", hiddenSize);
		ConfigJson.positive("vision_config.num_heads", numHeads);
		if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 4 != 0) {
			throw new CheckpointException("config.json: vision_config.hidden_size " + hiddenSize + " / num_heads "
					+ numHeads + " must be a whole head dim divisible by 4 (2-D rotary)");
		}
		int side = (int) Math.round(Math.sqrt(numPositionEmbeddings));
		if (numPositionEmbeddings < 1 || side * side != numPositionEmbeddings) {
			throw new CheckpointException("config.json: vision_config.num_position_embeddings " + numPositionEmbeddings
					+ " must be a square (the learned table is N x N)");
		}
		deepstackVisualIndexes = deepstackVisualIndexes.clone();
		for (int index : deepstackVisualIndexes) {
			if (index < 0 || index >= depth) {
				throw new CheckpointException("config.json: vision_config.deepstack_visual_indexes "
						+ Arrays.toString(deepstackVisualIndexes) + " must name blocks in [0, " + depth + ")");
			}
		}
	}

	public int headDim() {
		return hiddenSize / numHeads;
	}

	/** Side N of the learned position table. */
	public int positionTableSide() {
		return (int) Math.round(Math.sqrt(numPositionEmbeddings));
	}

	/** Patches merged into one token: merge² (4). */
	public int mergeUnit() {
		return spatialMergeSize * spatialMergeSize;
	}

	/** Values per patch row of pixel_values: channels x temporal x patch² (1536). */
	public int patchRowWidth() {
		return inChannels * temporalPatchSize * patchSize * patchSize;
	}

	@Override
	public int[] deepstackVisualIndexes() {
		return deepstackVisualIndexes.clone();
	}

}
