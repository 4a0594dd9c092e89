package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.vision.VisionTower;
import dev.sightline.vision.weights.FiniteCheck;

/**
 * One sequence being decoded (spec §7.3, §7.4): preparing it runs the vision tower, splices its features and
 * computes the M-RoPE positions; its prompt then fills the KV cache, whole or in chunks of shared passes; each later
 * step feeds one token at {@code cache_position + rope_delta}. Owns one request manager; close it when done.
 */
public final class QwenSequence implements QwenDecoding.Source {

	private static final String HEAD = "output head (lm_head)";

	private final QwenModel model;

	private final NDManager request;

	private final KvCache cache;

	private long ropeDelta;

	private long[][] prefillPositions;

	// The prompt's embeddings while it is being fed; released once it is all cached.
	private NDArray promptEmbeds;

	private NDManager promptScope;

	private double visionMs;

	// The prompt's vision encodes while they are pending; the prompt is embedded after them.
	private VisionTower.Encoding imageVision;

	private VisionTower.Encoding videoVision;

	private NDManager visionScope;

	private long[] promptIds;

	QwenSequence(QwenModel model, int capacity) {
		this.model = model;
		this.request = model.newRequestManager();
		this.cache = model.newCache(request, capacity);
	}

	/**
	 * Runs the prompt.
	 * @param allLogits true for {@code [L, vocab]} logits of every position, false for the last row only
	 * @return float32 logits, row-major
	 */
	public float[] prefill(ModelInputs inputs, boolean allLogits) {
		prepare(inputs);
		NDArray hidden = model.text().forward(promptEmbeds, prefillPositions, cache);
		NDArray rows = allLogits ? hidden : hidden.get("{}:", inputs.inputIds().length - 1);
		float[] logits = model.text().logits(rows).toFloatArray();
		FiniteCheck.verify(HEAD, logits, model.dtypePolicy().describe());
		finishPrompt();
		return logits;
	}

	/**
	 * Gets the prompt ready for {@link #pass}: M-RoPE positions, the vision tower, and the prompt embeddings with the
	 * vision features spliced in. The prompt's text layers run later, in one or more shared passes.
	 */
	public void prepare(ModelInputs inputs) {
		begin(inputs);
		advanceVision(Integer.MAX_VALUE);
	}

	/**
	 * {@link #prepare} with the vision encodes begun but not run: they run in {@link #advanceVision} (a few blocks
	 * at a time beside other requests' decode passes, or all at once), then the prompt is embedded. Until then
	 * {@link #pass} feeds this sequence nothing.
	 */
	public void begin(ModelInputs inputs) {
		if (cache.length() != 0 || prefillPositions != null) {
			throw new IllegalStateException("prefill runs once per sequence");
		}
		var tokens = model.config().tokens();
		MRopePositions rope = new MRopePositions(tokens.imageTokenId(), tokens.videoTokenId(),
				tokens.visionStartTokenId(), model.config().vision().spatialMergeSize(),
				model.config().vision().tokensPerSecond());
		RopeIndex index = rope.compute(new long[][] { inputs.inputIds() }, null, inputs.imageGrids(),
				inputs.videoGrids(), inputs.secondPerGridTs());
		long[][] positions = new long[3][];
		for (int axis = 0; axis < 3; axis++) {
			positions[axis] = index.positionIds()[axis][0];
		}
		prefillPositions = positions;
		ropeDelta = index.ropeDeltas()[0];
		promptIds = inputs.inputIds();
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
			throw e;
		}
	}

	@Override
	public int visionBlocksLeft() {
		return (imageVision == null ? 0 : imageVision.blocksLeft()) + (videoVision == null ? 0 : videoVision.blocksLeft());
	}

	/** Runs up to {@code maxBlocks} more vision blocks of this prompt; after the last it embeds the prompt. */
	@Override
	public boolean advanceVision(int maxBlocks) {
		if (visionScope == null) {
			return promptEmbeds != null;
		}
		long start = System.nanoTime();
		int budget = maxBlocks;
		boolean done = true;
		for (VisionTower.Encoding encoding : new VisionTower.Encoding[] { imageVision, videoVision }) {
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

	private void embedPrompt() {
		NDManager embedding = request.newSubManager();
		try {
			promptEmbeds = model.embedPrompt(visionScope, promptIds, imageVision == null ? null : imageVision.result(),
					videoVision == null ? null : videoVision.result());
			promptEmbeds.attach(embedding);
			promptScope = embedding;
		}
		catch (RuntimeException e) {
			embedding.close();
			throw e;
		}
		finally {
			imageVision = null;
			videoVision = null;
			visionScope.close();
			visionScope = null;
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
	 * One decoder pass shared by {@code sequences} (continuous batching with chunked prefill). A sequence whose
	 * prompt is still being fed takes its next chunk of it, at most {@code promptTokenBudget} prompt tokens for the
	 * whole pass, given out in order; any other sequence feeds {@code tokenIds[b]}, its last generated token, at
	 * {@code cache_position + rope_delta} (spec §7.4). A sequence the budget does not reach sits this pass out.
	 * @return per sequence the {@code [vocab]} logits of its last fed row, or null when it fed nothing or its prompt
	 *         is not finished yet
	 */
	public static float[][] pass(List<QwenSequence> sequences, long[] tokenIds, int promptTokenBudget) {
		if (sequences.isEmpty() || sequences.size() != tokenIds.length) {
			throw new IllegalArgumentException("a shared pass needs one token per sequence and at least one sequence, got "
					+ tokenIds.length + " tokens for " + sequences.size() + " sequences");
		}
		if (promptTokenBudget < 1) {
			throw new IllegalArgumentException("the prompt token budget must be at least 1, got " + promptTokenBudget);
		}
		QwenModel model = sequences.get(0).model;
		int budget = promptTokenBudget;
		int[] fed = new int[sequences.size()];
		boolean[] wantsLogits = new boolean[sequences.size()];
		List<KvCache> caches = new ArrayList<>();
		int rows = 0;
		for (int b = 0; b < sequences.size(); b++) {
			QwenSequence sequence = sequences.get(b);
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
			long[] logitRows = new long[rows];
			int picked = 0;
			int at = 0;
			for (int b = 0; b < sequences.size(); b++) {
				QwenSequence sequence = sequences.get(b);
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
			NDArray hidden = model.text().forward(input, positions, caches, rowsPerCache);
			float[][] logits = new float[sequences.size()][];
			if (picked > 0) {
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
			for (int b = 0; b < sequences.size(); b++) {
				QwenSequence sequence = sequences.get(b);
				if (sequence.promptEmbeds != null && sequence.promptTokensLeft() == 0) {
					sequence.finishPrompt();
				}
			}
			return logits;
		}
	}

	/** Frees the prompt embeddings once every prompt token is in the cache. */
	private void finishPrompt() {
		int promptLength = prefillPositions[0].length;
		if (cache.length() != promptLength) {
			throw new IllegalStateException("the prompt of " + promptLength + " tokens is not fully cached");
		}
		promptEmbeds = null;
		if (promptScope != null) {
			promptScope.close();
			promptScope = null;
		}
	}

	QwenModel model() {
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
