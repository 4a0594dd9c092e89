package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;

/**
 * One sequence being decoded (spec §7.3, §7.4): prefill runs the vision tower, splices its features, computes the
 * M-RoPE positions and fills the KV cache; each later step feeds one token at {@code cache_position + rope_delta}.
 * Owns one request manager; close it when done.
 */
public final class QwenSequence implements AutoCloseable {

	private final QwenModel model;

	private final NDManager request;

	private final KvCache cache;

	private long ropeDelta;

	private long[][] prefillPositions;

	private double visionMs;

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
		if (cache.length() != 0) {
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
		try (NDManager scope = request.newSubManager()) {
			long start = System.nanoTime();
			NDArray imageEmbeds = model.encodeVision(scope, inputs.pixelValues(), inputs.imageGrids());
			NDArray videoEmbeds = model.encodeVision(scope, inputs.pixelValuesVideos(), inputs.videoGrids());
			visionMs = (System.nanoTime() - start) / 1e6;
			NDArray embeds = model.embedPrompt(scope, inputs.inputIds(), imageEmbeds, videoEmbeds);
			NDArray hidden = model.text().forward(embeds, positions, cache);
			NDArray rows = allLogits ? hidden : hidden.get("{}:", inputs.inputIds().length - 1);
			return model.text().logits(rows).toFloatArray();
		}
	}

	/** Feeds one generated token; returns its {@code [vocab]} logits. */
	public float[] step(long tokenId) {
		long position = MRopePositions.decodePosition(cache.length(), ropeDelta);
		long[][] positions = { { position }, { position }, { position } };
		try (NDManager scope = request.newSubManager()) {
			NDArray embeds = model.text().embed(scope, new long[] { tokenId });
			NDArray hidden = model.text().forward(embeds, positions, cache);
			return model.text().logits(hidden).toFloatArray();
		}
	}

	/**
	 * Feeds one token to each of {@code sequences} in one decoder pass (batched decode): row b is
	 * {@code tokenIds[b]} at sequence b's own position {@code cache_position + rope_delta}.
	 * @return the {@code [vocab]} logits of each sequence, in order
	 */
	public static float[][] step(List<QwenSequence> sequences, long[] tokenIds) {
		if (sequences.isEmpty() || sequences.size() != tokenIds.length) {
			throw new IllegalArgumentException("a batched step needs one token per sequence and at least one sequence, got "
					+ tokenIds.length + " tokens for " + sequences.size() + " sequences");
		}
		QwenModel model = sequences.get(0).model;
		long[] positions = new long[sequences.size()];
		List<KvCache> caches = new ArrayList<>(sequences.size());
		for (int b = 0; b < sequences.size(); b++) {
			QwenSequence sequence = sequences.get(b);
			if (sequence.model != model) {
				throw new IllegalArgumentException("sequences of a batched step must belong to the same model");
			}
			positions[b] = MRopePositions.decodePosition(sequence.cache.length(), sequence.ropeDelta);
			caches.add(sequence.cache);
		}
		try (NDManager scope = model.newRequestManager()) {
			NDArray embeds = model.text().embed(scope, tokenIds);
			NDArray hidden = model.text().decode(embeds, positions, caches);
			float[] flat = model.text().logits(hidden).toFloatArray();
			int vocab = flat.length / sequences.size();
			float[][] logits = new float[sequences.size()][];
			for (int b = 0; b < logits.length; b++) {
				logits[b] = Arrays.copyOfRange(flat, b * vocab, (b + 1) * vocab);
			}
			return logits;
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
