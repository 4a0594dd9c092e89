package dev.sightline.vision.qwen3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.PromptSequence;
import dev.sightline.vision.qwen.config.VisualPad;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.text.DeepstackInjection;
import dev.sightline.vision.qwen3.vision.Qwen3VisionTower;
import dev.sightline.vision.qwen3.vision.VisionFeatures;

/**
 * One Qwen3-VL sequence being decoded (QWEN3_VL spec §7.3, §8): preparing it computes the positions, runs the
 * vision tower, splices the merged features over the image and video pads and keeps the DeepStack rows of those
 * pads; its prompt then fills the KV cache, whole or in chunks of shared passes (DeepStack added to the chunk's
 * visual rows only); each later step feeds one token at {@code cache_position + rope_delta}, without DeepStack.
 * The flow (vision a few blocks per step, chunked prompt, shared passes) is the shared {@link PromptSequence}; this
 * class is Qwen3-VL's positions, tower, splicing and DeepStack. Owns one request manager; close it when done.
 */
public final class Qwen3Sequence extends PromptSequence<Qwen3VisionTower.Encoding, Qwen3Sequence.DeepstackRows> {

	private final Qwen3Model model;

	// The prompt's DeepStack rows while it is being fed; released with its embeddings once it is all cached.
	private List<NDArray> deepstack = List.of(); // per level [visual tokens, hidden], in prompt order

	private int[] visualPositions = new int[0]; // prompt positions of the image and video pads, ascending

	Qwen3Sequence(Qwen3Model model, int capacity) {
		this(model, model.newRequestManager(), capacity);
	}

	private Qwen3Sequence(Qwen3Model model, NDManager request, int capacity) {
		super(model, request, model.newCache(request, capacity));
		this.model = model;
	}

	@Override
	protected RopeIndex ropeIndex(ModelInputs inputs) {
		return new Qwen3RopeIndex(model.config().tokens(), model.config().vision().spatialMergeSize())
			.compute(new long[][] { inputs.inputIds() }, null, inputs.imageGrids(), inputs.videoGrids());
	}

	@Override
	protected Qwen3VisionTower.Encoding beginVision(NDManager scope, float[] pixelValues, List<GridThw> grids) {
		return model.beginVision(scope, pixelValues, grids);
	}

	/** Splices the merged features over the pads and keeps the DeepStack rows of those pads; frees the encodes. */
	@Override
	protected NDArray embedPrompt(NDManager scope, NDManager embedding, long[] ids,
			Qwen3VisionTower.Encoding imageVision, Qwen3VisionTower.Encoding videoVision) {
		var tokens = model.config().tokens();
		VisionFeatures images = imageVision == null ? null : imageVision.result();
		VisionFeatures videos = videoVision == null ? null : videoVision.result();
		// Image and video rows interleaved by the position of their pads (spec §1 invariant 3).
		int imageCount = 0;
		int videoCount = 0;
		List<Integer> visual = new ArrayList<>();
		List<Long> sources = new ArrayList<>();
		long imageRows = images == null ? 0 : images.tokens();
		for (int i = 0; i < ids.length; i++) {
			if (ids[i] == tokens.imageTokenId()) {
				visual.add(i);
				sources.add((long) imageCount++);
			}
			else if (ids[i] == tokens.videoTokenId()) {
				visual.add(i);
				sources.add(imageRows + videoCount++);
			}
		}
		VisualPad.IMAGE.requireFeatures(imageCount, images == null ? 0 : images.tokens());
		VisualPad.VIDEO.requireFeatures(videoCount, videos == null ? 0 : videos.tokens());
		NDArray embeds = model.text().embed(scope, ids);
		List<NDArray> levels = new ArrayList<>();
		if (!visual.isEmpty()) {
			NDArray order = scope.create(sources.stream().mapToLong(Long::longValue).toArray());
			NDArray at = scope.create(visual.stream().mapToLong(Integer::longValue).toArray());
			embeds.set(new NDIndex("{}", at),
					combine(images, videos, VisionFeatures::embeds).get(order).toType(embeds.getDataType(), false));
			int depth = (images != null ? images : videos).deepstack().size();
			for (int k = 0; k < depth; k++) {
				int depthLevel = k;
				NDArray level = combine(images, videos, features -> features.deepstack().get(depthLevel)).get(order);
				level.attach(embedding);
				levels.add(level);
			}
		}
		deepstack = List.copyOf(levels);
		visualPositions = visual.stream().mapToInt(Integer::intValue).toArray();
		return embeds;
	}

	/** One level of features ({@code level}: the merged ones or a DeepStack level) of the images, then the videos. */
	private static NDArray combine(VisionFeatures images, VisionFeatures videos,
			Function<VisionFeatures, NDArray> level) {
		NDList parts = new NDList();
		for (VisionFeatures features : new VisionFeatures[] { images, videos }) {
			if (features != null) {
				parts.add(level.apply(features));
			}
		}
		return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
	}

	/**
	 * One shared decoder pass, as {@link PromptSequence#pass}; a prompt chunk's visual rows also take their
	 * DeepStack features (decode steps take none).
	 */
	public static float[][] pass(List<Qwen3Sequence> sequences, long[] tokenIds, int promptTokenBudget) {
		return PromptSequence.pass(sequences, tokenIds, promptTokenBudget, false);
	}

	/** The DeepStack rows one shared pass collects from its prompt chunks. */
	static final class DeepstackRows {

		private final List<Long> visualRows = new ArrayList<>();

		private final List<NDList> levels = new ArrayList<>();

	}

	@Override
	protected DeepstackRows newPassExtras() {
		return new DeepstackRows();
	}

	@Override
	protected NDArray forward(NDManager scope, NDArray input, long[][] positions, List<KvCache> caches,
			int[] rowsPerCache, DeepstackRows rows) {
		DeepstackInjection injection = null;
		if (!rows.visualRows.isEmpty()) {
			List<NDArray> features = rows.levels.stream()
				.map(parts -> parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0))
				.toList();
			injection = new DeepstackInjection(
					scope.create(rows.visualRows.stream().mapToLong(Long::longValue).toArray()), features);
		}
		return model.text().forward(input, positions, caches, rowsPerCache, injection);
	}

	/**
	 * Adds the DeepStack rows of prompt positions {@code from..to} (fed at pass row {@code passRow} onwards): their
	 * pass rows to {@code visualRows}, their features per level to {@code levels}. Pads are ascending, so a chunk's
	 * features are one contiguous slice.
	 */
	@Override
	protected void addPromptChunk(DeepstackRows rows, NDManager scope, int from, int to, int passRow) {
		List<Long> visualRows = rows.visualRows;
		List<NDList> levels = rows.levels;
		int first = lowerBound(visualPositions, from);
		int end = lowerBound(visualPositions, to);
		if (first == end || deepstack.isEmpty()) {
			return;
		}
		for (int i = first; i < end; i++) {
			visualRows.add((long) passRow + visualPositions[i] - from);
		}
		while (levels.size() < deepstack.size()) {
			levels.add(new NDList());
		}
		for (int k = 0; k < deepstack.size(); k++) {
			NDArray slice = deepstack.get(k).get("{}:{}", first, end);
			slice.attach(scope);
			levels.get(k).add(slice);
		}
	}

	private static int lowerBound(int[] sorted, int value) {
		int at = Arrays.binarySearch(sorted, value);
		return at >= 0 ? at : -at - 1;
	}

	@Override
	protected void promptCached() {
		deepstack = List.of();
	}

	Qwen3Model model() {
		return model;
	}

}
