package dev.sightline.vision.qwen.text;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.qwen.config.DecoderConfig;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.qwen.nn.MRope;
import dev.sightline.vision.qwen.nn.Projection;
import dev.sightline.vision.qwen.nn.RmsNorm;
import dev.sightline.vision.qwen.nn.Rotary;
import dev.sightline.vision.weights.FiniteCheck;
import dev.sightline.vision.weights.Precision;

/**
 * The text decoder of both families (spec §7.1, §7.2; QWEN3_VL spec §7): GQA attention with M-RoPE, SwiGLU MLP,
 * RMSNorm, and the output head. What differs between Qwen2.5-VL and Qwen3-VL is the family's
 * {@link DecoderConfig}: the M-RoPE layout (contiguous or interleaved), q/k/v biases (Qwen2.5-VL), per-head q/k
 * RMSNorm before the rotary (Qwen3-VL); and Qwen3-VL's DeepStack features, added to the residual stream after the
 * first layers ({@link DeepstackInjection}). It runs one sequence ({@code [S, hidden]}) against its {@link KvCache},
 * or one pass over several sequences at once, each run of rows against its own cache. Prefill attention is chunked
 * over queries so no layer holds more than a fixed budget of scores. Under a mixed {@link Precision} the residual
 * stream, norms and MLP product are wide, the matmuls in the weights' dtype, and a layer whose output is not finite
 * is named ({@link FiniteCheck}).
 */
public final class TextDecoder {

	/** Float32 elements one chunk of prefill attention scores may hold (256 MiB), as in the vision towers. */
	public static final long SCORE_BUDGET_ELEMENTS = 64L << 20;

	/** Output-head rows per slice in a shared pass. */
	private static final long HEAD_SLICE_ROWS = 2048;

	/** Above this many rows (prefill with every position's logits) the head runs whole. */
	private static final long HEAD_SLICED_MAX_ROWS = 64;

	private final DecoderConfig config;

	private final TextWeights weights;

	private final long scoreBudgetElements;

	private final MRope mrope;

	private final Precision precision;

	/**
	 * @param scoreBudgetElements float32 elements one chunk of prefill attention scores may hold
	 * @param precision weights' and residual stream's dtypes (the weights must already be in its weights' dtype)
	 */
	public TextDecoder(DecoderConfig config, TextWeights weights, long scoreBudgetElements, Precision precision) {
		if (scoreBudgetElements < 1) {
			throw new IllegalArgumentException("scoreBudgetElements must be at least 1, got " + scoreBudgetElements);
		}
		this.config = config;
		this.weights = weights;
		this.scoreBudgetElements = scoreBudgetElements;
		this.mrope = config.mrope();
		this.precision = precision;
	}

	public DecoderConfig config() {
		return config;
	}

	/** The dtype the weights compute in. */
	public DataType computeType() {
		return weights.embedTokens().getDataType();
	}

	public Precision precision() {
		return precision;
	}

	/** A decoder over the same weights whose prefill attention chunks hold at most {@code scoreBudgetElements}. */
	public TextDecoder withScoreBudget(long scoreBudgetElements) {
		return new TextDecoder(config, weights, scoreBudgetElements, precision);
	}

	/** {@code [S, hidden]} embeddings of {@code ids} in the residual dtype, owned by {@code manager}. */
	public NDArray embed(NDManager manager, long[] ids) {
		for (long id : ids) {
			if (id < 0 || id >= config.vocabSize()) {
				throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, "
						+ config.vocabSize() + ")");
			}
		}
		NDArray rows = weights.embedTokens().get(manager.create(ids));
		rows.attach(manager);
		// Mixed precision: the residual stream starts wide (widened once out of the weights' manager).
		return precision.toResidual(rows);
	}

	/**
	 * Runs all layers over {@code hidden [S, hidden]} (one sequence) at {@code positions [3][S]}, appending to
	 * {@code cache}.
	 * @return the final-normed hidden states {@code [S, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, KvCache cache) {
		return forward(hidden, positions, List.of(cache), new int[] { positions[0].length }, null);
	}

	/**
	 * One pass over several sequences at once (continuous batching with chunked prefill): the rows of
	 * {@code hidden [N, hidden]} come in runs, {@code rowsPerCache[b]} consecutive rows for the sequence whose cache
	 * is {@code caches.get(b)} — the next chunk of its prompt, or its one next token — at M-RoPE
	 * {@code positions [3][N]} (spec §7.3, §7.4). Every linear runs once over all N rows (one GEMM instead of one
	 * per sequence); attention reads each sequence's own cache, so caches of different lengths need neither padding
	 * nor a mask across sequences.
	 * @param deepstack visual rows of this pass and their DeepStack features (Qwen3-VL), or null when it has none
	 * @return the final-normed hidden states {@code [N, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, List<KvCache> caches, int[] rowsPerCache,
			DeepstackInjection deepstack) {
		long rows = hidden.getShape().get(0);
		if (caches.isEmpty() || rowsPerCache.length != caches.size()) {
			throw new IllegalArgumentException("a shared pass needs one row count per cache and at least one cache, got "
					+ rowsPerCache.length + " row counts for " + caches.size() + " caches");
		}
		long counted = 0;
		for (int count : rowsPerCache) {
			if (count < 1) {
				throw new IllegalArgumentException("every sequence of a shared pass feeds at least one row, got " + count);
			}
			counted += count;
		}
		if (counted != rows || positions.length != 3 || positions[0].length != rows) {
			throw new IllegalArgumentException("a shared pass over " + counted + " rows got " + rows
					+ " hidden rows and " + (positions.length == 3 ? positions[0].length : 0) + " positions");
		}
		NDManager manager = hidden.getManager();
		float[][] tables = mrope.tables(positions);
		Shape tableShape = new Shape(rows, 1, config.headDim());
		NDArray x = hidden;
		try (NDManager scope = manager.newSubManager()) {
			FiniteCheck finite = new FiniteCheck(scope, "text " + precision.describe());
			// The reference casts the decoder's cos/sin to the activation dtype and rotates in it (spec §11.1).
			NDArray cos = scope.create(tables[0], tableShape).toType(computeType(), false);
			NDArray sin = scope.create(tables[1], tableShape).toType(computeType(), false);
			// Masks are built once per pass on the device, not per layer on the host.
			NDArray[] masks = CachedAttention.passMasks(scope, caches, rowsPerCache, config.numAttentionHeads(),
					scoreBudgetElements);
			for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
				NDArray out;
				try (NDManager layerScope = scope.newSubManager()) {
					x.tempAttach(layerScope);
					out = layer(layer, weights.layers().get(layer), x, cos, sin, caches, rowsPerCache, masks);
					// DeepStack goes into the residual stream after layer k, so layer k+1 already sees it (§7.3).
					if (deepstack != null && layer < deepstack.features().size()) {
						NDIndex visual = new NDIndex("{}", deepstack.rows());
						out.set(visual, out.get(visual).add(precision.toResidual(deepstack.features().get(layer))));
					}
					out.attach(scope);
				}
				finite.record("text decoder layer " + layer + " (model.layers." + layer + ")", out);
				if (x != hidden) {
					x.close();
				}
				x = out;
			}
			finite.verify();
			for (int b = 0; b < caches.size(); b++) {
				caches.get(b).advance(rowsPerCache[b]);
			}
			NDArray normed = RmsNorm.apply(x, weights.finalNorm(), config.rmsNormEps());
			normed.attach(manager);
			return normed;
		}
	}

	/** {@code [S, vocab]} float32 logits of final-normed hidden states (spec §7.4). */
	public NDArray logits(NDArray normed) {
		long rows = normed.getShape().get(0);
		NDArray input = precision.toWeights(normed);
		NDArray head = weights.lmHead();
		if (rows == 1 || rows > HEAD_SLICED_MAX_ROWS || normed.getDevice().isGpu()) {
			// A GPU runs the plain product: the slicing below is a CPU cache trick that only adds launches there.
			return Linear.of(head).applyPlain(input).toType(DataType.FLOAT32, false);
		}
		// A shared pass: libtorch's CPU GEMM with a few rows against the whole 151936-row head ran 2 to 5 times
		// slower than slice by slice with the slice as the left operand, W_slice x^T (measured for 16 rows at the
		// 3B width: 278 ms whole, 190 ms as x W_slice^T, 125 ms as W_slice x^T; the 2048-row slices stay in cache).
		NDManager owner = normed.getManager();
		long vocab = head.getShape().get(0);
		NDList parts = new NDList();
		try (NDManager scope = owner.newSubManager()) {
			NDArray columns = input.transpose(); // [hidden, rows]
			columns.attach(scope);
			for (long from = 0; from < vocab; from += HEAD_SLICE_ROWS) {
				NDArray slice = head.get("{}:{}", from, Math.min(vocab, from + HEAD_SLICE_ROWS));
				slice.attach(scope);
				NDArray part = slice.matMul(columns);
				part.attach(scope);
				parts.add(part);
			}
			NDArray logits = NDArrays.concat(parts, 0).transpose().toType(DataType.FLOAT32, false);
			logits.attach(owner);
			return logits;
		}
	}

	private NDArray layer(int index, DecoderLayerWeights w, NDArray x, NDArray cos, NDArray sin, List<KvCache> caches,
			int[] rowsPerCache, NDArray[] masks) {
		double eps = config.rmsNormEps();
		NDArray normed = precision.toWeights(RmsNorm.apply(x, w.inputNorm(), eps));
		NDArray attention = attention(index, w, normed, cos, sin, caches, rowsPerCache, masks);
		NDArray h = x.add(precision.toResidual(w.o().apply(attention)));
		NDArray normed2 = precision.toWeights(RmsNorm.apply(h, w.postNorm(), eps));
		return h.add(w.mlp().apply(normed2, precision, Projection::apply));
	}

	private NDArray attention(int layer, DecoderLayerWeights w, NDArray x, NDArray cos, NDArray sin,
			List<KvCache> caches, int[] rowsPerCache, NDArray[] masks) {
		long rows = x.getShape().get(0);
		int headDim = config.headDim();
		NDArray q = w.q().apply(x).reshape(rows, config.numAttentionHeads(), headDim);
		NDArray k = w.k().apply(x).reshape(rows, config.numKeyValueHeads(), headDim);
		NDArray v = w.v().apply(x).reshape(rows, config.numKeyValueHeads(), headDim);
		if (w.qNorm() != null) {
			// q/k norms are per head over head_dim, before the rotary (QWEN3_VL spec §7.1, §11.3 item 1).
			q = RmsNorm.apply(q, w.qNorm(), config.rmsNormEps());
			k = RmsNorm.apply(k, w.kNorm(), config.rmsNormEps());
		}
		q = Rotary.apply(q, cos, sin);
		k = Rotary.apply(k, cos, sin);
		// A shared pass: each sequence's run of rows attends over its own cache.
		return CachedAttention.attendPass(layer, q, k, v, caches, rowsPerCache, config.numKeyValueHeads(),
				scoreBudgetElements, masks);
	}

}
