package dev.sightline.vision.qwen3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.QwenDecoding;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen3.text.DeepstackInjection;
import dev.sightline.vision.qwen3.vision.Qwen3VisionTower;
import dev.sightline.vision.qwen3.vision.VisionFeatures;
import dev.sightline.vision.weights.FiniteCheck;

/**
 * One Qwen3-VL sequence being decoded (QWEN3_VL spec §7.3, §8): preparing it computes the positions, runs the
 * vision tower, splices the merged features over the image and video pads and keeps the DeepStack rows of those
 * pads; its prompt then fills the KV cache, whole or in chunks of shared passes (DeepStack added to the chunk's
 * visual rows only); each later step feeds one token at {@code cache_position + rope_delta}, without DeepStack.
 * Owns one request manager; close it when done.
 */
public final class Qwen3Sequence implements QwenDecoding.Source {

	private static final String HEAD = "output head (lm_head)";

	private final Qwen3Model model;

	private final NDManager request;

	private final KvCache cache;

	private long ropeDelta;

	private long[][] prefillPositions;

	// The prompt's embeddings and DeepStack rows while it is being fed; released once it is all cached.
	private NDArray promptEmbeds; // [L, hidden]

	private List<NDArray> deepstack = List.of(); // per level [visual tokens, hidden], in prompt order

	private int[] visualPositions = new int[0]; // prompt positions of the image and video pads, ascending

	private NDManager promptScope;

	// The prompt's vision encodes while they are pending; the prompt is embedded after them.
	private Qwen3VisionTower.Encoding imageVision;

	private Qwen3VisionTower.Encoding videoVision;

	private NDManager visionScope;

	private long[] promptIds;

	private double visionMs;

	Qwen3Sequence(Qwen3Model model, int capacity) {
		this.model = model;
		this.request = model.newRequestManager();
		this.cache = model.newCache(request, capacity);
	}

	/**
	 * Runs the whole prompt.
	 * @param allLogits true for {@code [L, vocab]} logits of every position, false for the last row only
	 * @return float32 logits, row-major
	 */
	public float[] prefill(ModelInputs inputs, boolean allLogits) {
		prepare(inputs);
		return pass(List.of(this), new long[] { 0 }, Integer.MAX_VALUE, allLogits)[0];
	}

	/** Positions, vision tower, spliced embeddings and DeepStack rows; the text layers run in later passes. */
	public void prepare(ModelInputs inputs) {
		begin(inputs);
		advanceVision(Integer.MAX_VALUE);
	}

	/**
	 * {@link #prepare} with the vision encodes begun but not run: they run in {@link #advanceVision} (a few blocks
	 * at a time beside other requests' decode passes, or all at once), then the prompt is embedded. Until then
	 * {@link #pass} feeds this sequence nothing (as {@link dev.sightline.vision.qwen.QwenSequence#begin}).
	 */
	public void begin(ModelInputs inputs) {
		if (cache.length() != 0 || prefillPositions != null) {
			throw new IllegalStateException("prefill runs once per sequence");
		}
		long[] ids = inputs.inputIds();
		var tokens = model.config().tokens();
		RopeIndex index = new Qwen3RopeIndex(tokens, model.config().vision().spatialMergeSize())
			.compute(new long[][] { ids }, null, inputs.imageGrids(), inputs.videoGrids());
		long[][] positions = new long[3][];
		for (int axis = 0; axis < 3; axis++) {
			positions[axis] = index.positionIds()[axis][0];
		}
		prefillPositions = positions;
		ropeDelta = index.ropeDeltas()[0];
		promptIds = ids;
		visionScope = request.newSubManager();
		try {
			imageVision = model.beginVision(visionScope, inputs.pixelValues(), inputs.imageGrids());
			videoVision = model.beginVision(visionScope, inputs.pixelValuesVideos(), inputs.videoGrids());
			if (imageVision == null && videoVision == null) {
				embedPrompt();
			}
		}
		catch (RuntimeException e) {
			visionScope.close();
			visionScope = null;
			throw e;
		}
	}

	@Override
	public int visionBlocksLeft() {
		return (imageVision == null ? 0 : imageVision.blocksLeft()) + (videoVision == null ? 0 : videoVision.blocksLeft());
	}

	/**
	 * Runs up to {@code maxBlocks} more vision blocks of this prompt (images first, then videos); after the last it
	 * embeds the prompt.
	 * @return true when the prompt is ready to be fed
	 */
	@Override
	public boolean advanceVision(int maxBlocks) {
		if (visionScope == null) {
			return promptEmbeds != null;
		}
		long start = System.nanoTime();
		int budget = maxBlocks;
		boolean done = true;
		for (Qwen3VisionTower.Encoding encoding : new Qwen3VisionTower.Encoding[] { imageVision, videoVision }) {
			if (encoding != null) {
				int before = encoding.blocksLeft();
				done &= encoding.advance(Math.max(0, budget));
				budget -= before - encoding.blocksLeft();
			}
		}
		if (done) {
			embedPrompt();
		}
		visionMs += (System.nanoTime() - start) / 1e6;
		return done;
	}

	/** Splices the merged features over the pads and keeps the DeepStack rows of those pads; frees the encodes. */
	private void embedPrompt() {
		long[] ids = promptIds;
		var tokens = model.config().tokens();
		NDManager embedding = request.newSubManager();
		NDManager scope = visionScope;
		try {
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
			requireCount(imageCount, images, "image");
			requireCount(videoCount, videos, "video");
			NDArray embeds = model.text().embed(scope, ids);
			List<NDArray> levels = new ArrayList<>();
			if (!visual.isEmpty()) {
				NDArray order = scope.create(sources.stream().mapToLong(Long::longValue).toArray());
				NDArray at = scope.create(visual.stream().mapToLong(Integer::longValue).toArray());
				embeds.set(new NDIndex("{}", at), combine(images, videos, -1).get(order).toType(embeds.getDataType(),
						false));
				int depth = (images != null ? images : videos).deepstack().size();
				for (int k = 0; k < depth; k++) {
					NDArray level = combine(images, videos, k).get(order);
					level.attach(embedding);
					levels.add(level);
				}
			}
			embeds.attach(embedding);
			promptEmbeds = embeds;
			deepstack = List.copyOf(levels);
			visualPositions = visual.stream().mapToInt(Integer::intValue).toArray();
			promptScope = embedding;
		}
		catch (RuntimeException e) {
			embedding.close();
			throw e;
		}
		finally {
			imageVision = null;
			videoVision = null;
			scope.close();
			visionScope = null;
		}
	}

	/** Merged features ({@code level} -1) or DeepStack level k of the images, then the videos. */
	private static NDArray combine(VisionFeatures images, VisionFeatures videos, int level) {
		NDList parts = new NDList();
		for (VisionFeatures features : new VisionFeatures[] { images, videos }) {
			if (features != null) {
				parts.add(level < 0 ? features.embeds() : features.deepstack().get(level));
			}
		}
		return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
	}

	private static void requireCount(int pads, VisionFeatures features, String what) {
		long available = features == null ? 0 : features.tokens();
		if (pads != available) {
			throw new IllegalArgumentException("prompt has " + pads + " " + what + " placeholder tokens but the "
					+ what + "s give " + available + " features (t*h*w/4 per item)");
		}
	}

	/** Prompt tokens not yet fed to the text layers (0 once the prompt is done). */
	public int promptTokensLeft() {
		if (visionScope != null) {
			return prefillPositions[0].length;
		}
		return promptEmbeds == null ? 0 : prefillPositions[0].length - cache.length();
	}

	/** Feeds one generated token; returns its {@code [vocab]} logits. */
	public float[] step(long tokenId) {
		return pass(List.of(this), new long[] { tokenId }, Integer.MAX_VALUE)[0];
	}

	/**
	 * One decoder pass shared by {@code sequences} (continuous batching with chunked prefill), as
	 * {@link dev.sightline.vision.qwen.QwenSequence#pass}: prefilling sequences take the next chunk of their prompt
	 * (at most {@code promptTokenBudget} prompt tokens in all), the others feed {@code tokenIds[b]}.
	 * @return per sequence the {@code [vocab]} logits of its last fed row, or null when it fed nothing or its prompt
	 *         is not finished yet
	 */
	public static float[][] pass(List<Qwen3Sequence> sequences, long[] tokenIds, int promptTokenBudget) {
		return pass(sequences, tokenIds, promptTokenBudget, false);
	}

	private static float[][] pass(List<Qwen3Sequence> sequences, long[] tokenIds, int promptTokenBudget,
			boolean allLogits) {
		if (sequences.isEmpty() || sequences.size() != tokenIds.length) {
			throw new IllegalArgumentException("a shared pass needs one token per sequence and at least one sequence, got "
					+ tokenIds.length + " tokens for " + sequences.size() + " sequences");
		}
		if (promptTokenBudget < 1) {
			throw new IllegalArgumentException("the prompt token budget must be at least 1, got " + promptTokenBudget);
		}
		Qwen3Model model = sequences.get(0).model;
		int budget = promptTokenBudget;
		int[] fed = new int[sequences.size()];
		boolean[] wantsLogits = new boolean[sequences.size()];
		List<KvCache> caches = new ArrayList<>();
		int rows = 0;
		for (int b = 0; b < sequences.size(); b++) {
			Qwen3Sequence sequence = sequences.get(b);
			if (sequence.model != model) {
				throw new IllegalArgumentException("sequences of a shared pass must belong to the same model");
			}
			int left = sequence.promptTokensLeft();
			// A prompt whose vision encode is pending cannot be fed yet: it sits this pass out.
			fed[b] = sequence.visionScope != null ? 0 : left == 0 ? 1 : Math.min(left, budget);
			budget -= left == 0 ? 0 : fed[b];
			wantsLogits[b] = fed[b] > 0 && (left == 0 || left == fed[b]);
			if (fed[b] > 0) {
				caches.add(sequence.cache);
				rows += fed[b];
			}
		}
		if (rows == 0) {
			return new float[sequences.size()][];
		}
		try (NDManager scope = model.newRequestManager()) {
			long[][] positions = new long[3][rows];
			NDList embeds = new NDList();
			List<Long> visualRows = new ArrayList<>();
			List<NDList> levels = new ArrayList<>();
			long[] logitRows = new long[rows];
			int picked = 0;
			int at = 0;
			for (int b = 0; b < sequences.size(); b++) {
				Qwen3Sequence sequence = sequences.get(b);
				int count = fed[b];
				if (count == 0) {
					continue;
				}
				int from = sequence.cache.length();
				if (sequence.promptTokensLeft() > 0) {
					for (int axis = 0; axis < 3; axis++) {
						System.arraycopy(sequence.prefillPositions[axis], from, positions[axis], at, count);
					}
					NDArray chunk = sequence.promptEmbeds.get("{}:{}", from, from + count);
					chunk.attach(scope);
					embeds.add(chunk);
					sequence.collectDeepstack(scope, from, from + count, at, visualRows, levels);
				}
				else {
					long position = MRopePositions.decodePosition(from, sequence.ropeDelta);
					for (int axis = 0; axis < 3; axis++) {
						positions[axis][at] = position;
					}
					embeds.add(model.text().embed(scope, new long[] { tokenIds[b] }));
				}
				at += count;
				if (wantsLogits[b]) {
					logitRows[picked++] = at - 1;
				}
			}
			NDArray input = embeds.size() == 1 ? embeds.get(0) : NDArrays.concat(embeds, 0);
			int[] rowsPerCache = Arrays.stream(fed).filter(count -> count > 0).toArray();
			DeepstackInjection injection = null;
			if (!visualRows.isEmpty()) {
				List<NDArray> features = levels.stream()
					.map(parts -> parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0))
					.toList();
				injection = new DeepstackInjection(
						scope.create(visualRows.stream().mapToLong(Long::longValue).toArray()), features);
			}
			NDArray hidden = model.text().forward(input, positions, caches, rowsPerCache, injection);
			float[][] logits = new float[sequences.size()][];
			if (allLogits) {
				logits[0] = model.text().logits(hidden).toFloatArray();
				FiniteCheck.verify(HEAD, logits[0], model.dtypePolicy().describe());
			}
			else if (picked > 0) {
				// The head runs only on rows whose logits someone needs, not on every prompt row.
				NDArray last = picked == rows ? hidden
						: hidden.get(new NDIndex("{}", scope.create(Arrays.copyOf(logitRows, picked))));
				float[] flat = model.text().logits(last).toFloatArray();
				FiniteCheck.verify(HEAD, flat, model.dtypePolicy().describe());
				int vocab = flat.length / picked;
				int row = 0;
				for (int b = 0; b < sequences.size(); b++) {
					if (wantsLogits[b]) {
						logits[b] = Arrays.copyOfRange(flat, row * vocab, (row + 1) * vocab);
						row++;
					}
				}
			}
			for (Qwen3Sequence sequence : sequences) {
				if (sequence.promptEmbeds != null && sequence.promptTokensLeft() == 0) {
					sequence.finishPrompt();
				}
			}
			return logits;
		}
	}

	/**
	 * Adds the DeepStack rows of prompt positions {@code from..to} (fed at pass row {@code passRow} onwards): their
	 * pass rows to {@code visualRows}, their features per level to {@code levels}. Pads are ascending, so a chunk's
	 * features are one contiguous slice.
	 */
	private void collectDeepstack(NDManager scope, int from, int to, int passRow, List<Long> visualRows,
			List<NDList> levels) {
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

	/** Frees the prompt embeddings and DeepStack rows once every prompt token is in the cache. */
	private void finishPrompt() {
		int promptLength = prefillPositions[0].length;
		if (cache.length() != promptLength) {
			throw new IllegalStateException("the prompt of " + promptLength + " tokens is not fully cached");
		}
		promptEmbeds = null;
		deepstack = List.of();
		if (promptScope != null) {
			promptScope.close();
			promptScope = null;
		}
	}

	Qwen3Model model() {
		return model;
	}

	public long ropeDelta() {
		return ropeDelta;
	}

	/** {@code [3][L]} positions of the prompt, as computed at prefill. */
	public long[][] prefillPositions() {
		return prefillPositions;
	}

	@Override
	public double visionMs() {
		return visionMs;
	}

	public int length() {
		return cache.length();
	}

	@Override
	public void close() {
		request.close();
	}

}
