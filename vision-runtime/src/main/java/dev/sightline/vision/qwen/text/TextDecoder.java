package dev.sightline.vision.qwen.text;

import dev.sightline.vision.qwen.config.TextConfig;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.sightline.vision.weights.FiniteCheck;
import dev.sightline.vision.weights.Precision;
import dev.sightline.vision.weights.Weights;

/**
 * The Qwen2 decoder (spec §7.1, §7.2): GQA attention with q/k/v bias and M-RoPE, SwiGLU MLP, RMSNorm, and the
 * output head (tied to {@code embed_tokens} when the checkpoint has no {@code lm_head.weight}). Runs one
 * sequence ({@code [S, hidden]}) against its {@link KvCache}, or one decode step of several sequences at once.
 * Prefill attention is chunked over queries so no layer holds more than a fixed budget of scores.
 */
public final class TextDecoder {

	/** Float32 elements one chunk of prefill attention scores may hold (256 MiB), as in the vision tower. */
	public static final long SCORE_BUDGET_ELEMENTS = 64L << 20;

	private final long scoreBudgetElements;

	/** Output-head rows per slice in a shared pass. */
	private static final long HEAD_SLICE_ROWS = 2048;

	/** Above this many rows (prefill with every position's logits) the head runs whole. */
	private static final long HEAD_SLICED_MAX_ROWS = 64;

	private final TextConfig config;

	private final Weights weights;

	private final MRope mrope;

	private final TokenEmbedding tokens;

	private final Precision precision;

	public TextDecoder(TextConfig config, Weights weights, boolean tieWordEmbeddings) {
		this(config, weights, tieWordEmbeddings, SCORE_BUDGET_ELEMENTS);
	}

	/** @param scoreBudgetElements float32 elements one chunk of prefill attention scores may hold */
	public TextDecoder(TextConfig config, Weights weights, boolean tieWordEmbeddings, long scoreBudgetElements) {
		this(config, weights, tieWordEmbeddings, scoreBudgetElements,
				Precision.uniform(weights.get("model.embed_tokens.weight").getDataType()));
	}

	/**
	 * @param scoreBudgetElements float32 elements one chunk of prefill attention scores may hold
	 * @param precision weights' and residual stream's dtypes (the weights must already be in {@code weights()})
	 */
	public TextDecoder(TextConfig config, Weights weights, boolean tieWordEmbeddings, long scoreBudgetElements,
			Precision precision) {
		this.precision = precision;
		if (scoreBudgetElements < 1) {
			throw new IllegalArgumentException("scoreBudgetElements must be at least 1, got " + scoreBudgetElements);
		}
		this.scoreBudgetElements = scoreBudgetElements;
		this.config = config;
		this.weights = weights;
		this.mrope = new MRope(config);
		this.tokens = new TokenEmbedding(weights, tieWordEmbeddings, config.vocabSize(), precision);
	}

	public TextConfig config() {
		return config;
	}

	public DataType computeType() {
		return tokens.computeType();
	}

	public Precision precision() {
		return precision;
	}

	/** {@code [S, hidden]} embeddings of {@code ids}, owned by {@code manager}. */
	public NDArray embed(NDManager manager, long[] ids) {
		return tokens.embed(manager, ids);
	}

	/**
	 * Runs all layers over {@code hidden [S, hidden]} (one sequence) at {@code positions [3][S]}, appending to
	 * {@code cache}.
	 * @return the final-normed hidden states {@code [S, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, KvCache cache) {
		return run(hidden, positions, List.of(cache));
	}

	/**
	 * One pass over several sequences at once (continuous batching with chunked prefill): the rows of
	 * {@code hidden [N, hidden]} come in runs, {@code rowsPerCache[b]} consecutive rows for the sequence whose cache
	 * is {@code caches.get(b)} — the next chunk of its prompt, or its one next token — at M-RoPE
	 * {@code positions [3][N]} (spec §7.3, §7.4). Every linear runs once over all N rows (one GEMM instead of one
	 * per sequence); attention reads each sequence's own cache, so caches of different lengths need neither padding
	 * nor a mask across sequences.
	 * @return the final-normed hidden states {@code [N, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, List<KvCache> caches, int[] rowsPerCache) {
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
		return run(hidden, positions, caches, rowsPerCache);
	}

	private NDArray run(NDArray hidden, long[][] positions, List<KvCache> caches) {
		return run(hidden, positions, caches, new int[] { positions[0].length });
	}

	private NDArray run(NDArray hidden, long[][] positions, List<KvCache> caches, int[] rowsPerCache) {
		NDManager manager = hidden.getManager();
		int rows = positions[0].length;
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
					out = layer(layer, x, cos, sin, caches, rowsPerCache, masks);
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
			NDArray normed = RmsNorm.apply(x, weights.get("model.norm.weight"), config.rmsNormEps());
			normed.attach(manager);
			return normed;
		}
	}

	/** {@code [S, vocab]} float32 logits of final-normed hidden states. */
	public NDArray logits(NDArray normed) {
		long rows = normed.getShape().get(0);
		NDArray input = precision.toWeights(normed);
		if (rows == 1 || rows > HEAD_SLICED_MAX_ROWS || normed.getDevice().isGpu()) {
			// A GPU runs the plain product: the slicing below is a CPU cache trick that only adds launches there.
			return Linear.linear(input, tokens.head(), null).singletonOrThrow().toType(DataType.FLOAT32, false);
		}
		// A shared pass: libtorch's CPU GEMM with a few rows against the whole 151936-row head ran 2 to 5 times
		// slower than slice by slice with the slice as the left operand, W_slice x^T (measured for 16 rows at the
		// 3B width: 278 ms whole, 190 ms as x W_slice^T, 125 ms as W_slice x^T; the 2048-row slices stay in cache).
		NDManager owner = normed.getManager();
		long vocab = tokens.head().getShape().get(0);
		NDList parts = new NDList();
		try (NDManager scope = owner.newSubManager()) {
			NDArray columns = input.transpose(); // [hidden, rows]
			columns.attach(scope);
			for (long from = 0; from < vocab; from += HEAD_SLICE_ROWS) {
				NDArray slice = tokens.head().get("{}:{}", from, Math.min(vocab, from + HEAD_SLICE_ROWS));
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

	private NDArray layer(int index, NDArray x, NDArray cos, NDArray sin, List<KvCache> caches, int[] rowsPerCache,
			NDArray[] masks) {
		String base = "model.layers." + index + ".";
		NDArray normed = precision
			.toWeights(RmsNorm.apply(x, weights.get(base + "input_layernorm.weight"), config.rmsNormEps()));
		NDArray attention = attention(index, base, normed, cos, sin, caches, rowsPerCache, masks);
		NDArray h = x.add(precision.toResidual(linear(attention, weights.get(base + "self_attn.o_proj.weight"), null)));
		NDArray normed2 = precision
			.toWeights(RmsNorm.apply(h, weights.get(base + "post_attention_layernorm.weight"), config.rmsNormEps()));
		NDArray gate = linear(normed2, weights.get(base + "mlp.gate_proj.weight"), null);
		NDArray up = linear(normed2, weights.get(base + "mlp.up_proj.weight"), null);
		// The gated product is where activations outgrow float16: under a mixed precision formed wide and
		// row-scaled into the projection (Precision.downProjection); otherwise as the reference.
		NDArray wideGate = precision.toResidual(gate);
		NDArray product = wideGate.mul(Activation.sigmoid(wideGate)).mul(precision.toResidual(up));
		return h.add(precision.downProjection(product, weights.get(base + "mlp.down_proj.weight"), null,
				TextDecoder::linear));
	}

	private NDArray attention(int layer, String base, NDArray x, NDArray cos, NDArray sin, List<KvCache> caches,
			int[] rowsPerCache, NDArray[] masks) {
		long rows = x.getShape().get(0);
		int heads = config.numAttentionHeads();
		int kvHeads = config.numKeyValueHeads();
		int headDim = config.headDim();
		NDArray q = linear(x, weights.get(base + "self_attn.q_proj.weight"), weights.get(base + "self_attn.q_proj.bias"))
			.reshape(rows, heads, headDim);
		NDArray k = linear(x, weights.get(base + "self_attn.k_proj.weight"), weights.get(base + "self_attn.k_proj.bias"))
			.reshape(rows, kvHeads, headDim);
		NDArray v = linear(x, weights.get(base + "self_attn.v_proj.weight"), weights.get(base + "self_attn.v_proj.bias"))
			.reshape(rows, kvHeads, headDim);
		q = Rotary.apply(q, cos, sin);
		k = Rotary.apply(k, cos, sin);
		// A shared pass: each sequence's run of rows attends over its own cache.
		return CachedAttention.attendPass(layer, q, k, v, caches, rowsPerCache, config.numKeyValueHeads(),
				scoreBudgetElements, masks);
	}

	static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
		return Projection.apply(x, weight, bias);
	}

}
