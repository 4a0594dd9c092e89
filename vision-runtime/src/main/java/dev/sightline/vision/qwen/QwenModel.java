package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.vision.qwen.config.VisualPad;
import dev.sightline.vision.qwen.text.TextDecoder;
import dev.sightline.vision.qwen.vision.VisionTower;

/**
 * A loaded Qwen2.5-VL: config, weights on the device, vision tower and decoder, plus the prefill and decode steps
 * of one sequence (spec §7.3, §7.4). The checkpoint is validated against its config before any tensor is read.
 */
public final class QwenModel extends LoadedModel {

	private final QwenConfig config;

	private final VisionTower vision;

	private QwenModel(QwenConfig config, LoadedWeights loaded, QwenTensors.Loaded weights) {
		super(loaded, config.text(), weights.text(), config.tokens(), config.vision().spatialMergeSize());
		this.config = config;
		this.vision = new VisionTower(config.vision(), weights.vision(), loaded.policy().vision());
	}

	public static QwenModel load(Path directory, LoadOptions options) {
		QwenConfig config = QwenConfig.read(directory.resolve("config.json"));
		return load(directory, options, QwenTensors.expected(config), QwenTensors.ignored(config),
				loaded -> new QwenModel(config, loaded, QwenTensors.load(config, loaded.weights())));
	}

	public QwenConfig config() {
		return config;
	}

	public VisionTower vision() {
		return vision;
	}

	/** A decoder over the same weights whose prefill attention chunks hold at most {@code scoreBudgetElements} scores. */
	TextDecoder textWithScoreBudget(long scoreBudgetElements) {
		return text().withScoreBudget(scoreBudgetElements);
	}

	/**
	 * Vision features of a request: {@code [tokens, hidden]} for the images (or videos) in order, or null when there
	 * are none.
	 */
	public NDArray encodeVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		return withPatchRows(request, pixelValues, grids, config.vision().patchRowWidth(),
				(rows, items) -> vision.encode(request, rows, items));
	}

	/** A vision encode to run block by block, or null when there are no images (or videos). */
	public VisionTower.Encoding beginVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		return withPatchRows(request, pixelValues, grids, config.vision().patchRowWidth(),
				(rows, items) -> vision.begin(request, rows, items));
	}

	/**
	 * Prompt embeddings with the vision features written over their placeholder tokens, in order (spec §7).
	 * @param imageEmbeds {@code [image tokens, hidden]} or null
	 * @param videoEmbeds {@code [video tokens, hidden]} or null
	 */
	public NDArray embedPrompt(NDManager request, long[] inputIds, NDArray imageEmbeds, NDArray videoEmbeds) {
		NDArray embeds = text().embed(request, inputIds);
		splice(request, embeds, inputIds, VisualPad.IMAGE, imageEmbeds);
		splice(request, embeds, inputIds, VisualPad.VIDEO, videoEmbeds);
		return embeds;
	}

	private void splice(NDManager request, NDArray embeds, long[] ids, VisualPad kind, NDArray features) {
		int placeholder = kind.tokenId(config.tokens());
		int count = 0;
		for (long id : ids) {
			count += id == placeholder ? 1 : 0;
		}
		kind.requireFeatures(count, features == null ? 0 : features.getShape().get(0));
		if (count == 0) {
			return;
		}
		long[] positions = new long[count];
		int at = 0;
		for (int i = 0; i < ids.length; i++) {
			if (ids[i] == placeholder) {
				positions[at++] = i;
			}
		}
		try (NDManager scope = request.newSubManager()) {
			NDArray index = scope.create(positions);
			embeds.set(new ai.djl.ndarray.index.NDIndex("{}", index), features.toType(embeds.getDataType(), false));
		}
	}

	@Override
	public QwenSequence newSequence(int capacity) {
		return new QwenSequence(this, capacity);
	}

}
