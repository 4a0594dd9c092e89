package dev.sightline.vision.qwen;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.vision.VisionTower;

/**
 * One Qwen2.5-VL sequence being decoded (spec §7.3, §7.4): the shared {@link PromptSequence} flow with M-RoPE
 * positions (video time from seconds per grid step), the windowed vision tower and plain feature splicing. Owns one
 * request manager; close it when done.
 */
public final class QwenSequence extends PromptSequence<VisionTower.Encoding, Void> {

	private final QwenModel model;

	QwenSequence(QwenModel model, int capacity) {
		this(model, model.newRequestManager(), capacity);
	}

	private QwenSequence(QwenModel model, NDManager request, int capacity) {
		super(model, request, model.newCache(request, capacity));
		this.model = model;
	}

	/** One shared decoder pass, as {@link PromptSequence#pass}. */
	public static float[][] pass(List<QwenSequence> sequences, long[] tokenIds, int promptTokenBudget) {
		return PromptSequence.pass(sequences, tokenIds, promptTokenBudget, false);
	}

	@Override
	protected RopeIndex ropeIndex(ModelInputs inputs) {
		var tokens = model.config().tokens();
		MRopePositions rope = new MRopePositions(tokens.imageTokenId(), tokens.videoTokenId(),
				tokens.visionStartTokenId(), model.config().vision().spatialMergeSize(),
				model.config().vision().tokensPerSecond());
		return rope.compute(new long[][] { inputs.inputIds() }, null, inputs.imageGrids(), inputs.videoGrids(),
				inputs.secondPerGridTs());
	}

	@Override
	protected VisionTower.Encoding beginVision(NDManager scope, float[] pixelValues, List<GridThw> grids) {
		return model.beginVision(scope, pixelValues, grids);
	}

	@Override
	protected NDArray embedPrompt(NDManager visionScope, NDManager keep, long[] ids, VisionTower.Encoding images,
			VisionTower.Encoding videos) {
		return model.embedPrompt(visionScope, ids, images == null ? null : images.result(),
				videos == null ? null : videos.result());
	}

	/** Qwen2.5-VL's prompt takes nothing of an image encode but its merged features. */
	@Override
	protected boolean reusesImageFeatures() {
		return true;
	}

	@Override
	protected NDArray imageFeatures(VisionTower.Encoding images) {
		return images.result();
	}

	@Override
	protected NDArray embedPromptWithImageFeatures(NDManager visionScope, NDManager keep, long[] ids,
			NDArray imageFeatures, VisionTower.Encoding videos) {
		return model.embedPrompt(visionScope, ids, imageFeatures, videos == null ? null : videos.result());
	}

	@Override
	protected Void newPassExtras() {
		return null;
	}

	@Override
	protected NDArray forward(NDManager scope, NDArray input, long[][] positions, List<KvCache> caches,
			int[] rowsPerCache, Void extras) {
		return model.text().forward(input, positions, caches, rowsPerCache, null);
	}

	QwenModel model() {
		return model;
	}

}
