package dev.sightline.vision.qwen3.text;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.sightline.vision.qwen.text.CachedAttention;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.text.Projection;
import dev.sightline.vision.qwen.text.RmsNorm;
import dev.sightline.vision.qwen.text.Rotary;
import dev.sightline.vision.qwen.text.TokenEmbedding;
import dev.sightline.vision.qwen3.config.Qwen3TextConfig;
import dev.sightline.vision.weights.FiniteCheck;
import dev.sightline.vision.weights.Precision;
import dev.sightline.vision.weights.Weights;

/**
 * The Qwen3 decoder of Qwen3-VL (QWEN3_VL spec §7): attention without biases, per-head RMSNorm on q and k before
 * the interleaved M-RoPE, an explicit head_dim, SwiGLU MLP; DeepStack features added to the residual stream after
 * the first layers (§7.3). Like the Qwen2.5-VL decoder it runs several sequences in one pass, each row run against
 * its own {@link KvCache}, and shares that decoder's attention core ({@link CachedAttention}) and its dtype
 * policy: under a mixed {@link Precision} the residual stream, norms and MLP product are wide, the matmuls in the
 * weights' dtype, and a layer whose output is not finite is named ({@link FiniteCheck}).
 */
public final class Qwen3TextDecoder {

	/** Float32 elements one chunk of prefill attention scores may hold (256 MiB). */
	public static final long SCORE_BUDGET_ELEMENTS = 64L << 20;

	private final Qwen3TextConfig config;

	private final Weights weights;

	private final InterleavedMRope mrope;

	private final TokenEmbedding tokens;

	private final Precision precision;

	public Qwen3TextDecoder(Qwen3TextConfig config, Weights weights, boolean tieWordEmbeddings) {
		this(config, weights, tieWordEmbeddings,
				Precision.uniform(weights.get("model.embed_tokens.weight").getDataType()));
	}

	/** @param precision weights' and residual stream's dtypes (the weights must already be in {@code weights}) */
	public Qwen3TextDecoder(Qwen3TextConfig config, Weights weights, boolean tieWordEmbeddings, Precision precision) {
		this.config = config;
		this.precision = precision;
		this.weights = weights;
		this.mrope = new InterleavedMRope(config);
		this.tokens = new TokenEmbedding(weights, tieWordEmbeddings, config.vocabSize(), precision);
	}

	public Qwen3TextConfig config() {
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
	 * One pass over several sequences: {@code rowsPerCache[b]} consecutive rows of {@code hidden [N, hidden]} belong
	 * to the sequence whose cache is {@code caches.get(b)}, at M-RoPE {@code positions [3][N]}.
	 * @param deepstack visual rows of this pass and their DeepStack features, or null when it has none
	 * @return final-normed hidden states {@code [N, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, List<KvCache> caches, int[] rowsPerCache,
			DeepstackInjection deepstack) {
		long rows = hidden.getShape().get(0);
		long counted = 0;
		for (int count : rowsPerCache) {
			if (count < 1) {
				throw new IllegalArgumentException("every sequence of a pass feeds at least one row, got " + count);
			}
			counted += count;
		}
		if (caches.isEmpty() || rowsPerCache.length != caches.size() || counted != rows || positions.length != 3
				|| positions[0].length != rows) {
			throw new IllegalArgumentException("a pass over " + rows + " rows got " + caches.size() + " caches, "
					+ rowsPerCache.length + " row counts summing to " + counted + " and "
					+ (positions.length == 3 ? positions[0].length : 0) + " positions");
		}
		NDManager manager = hidden.getManager();
		float[][] tables = mrope.tables(positions);
		Shape tableShape = new Shape(rows, 1, config.headDim());
		NDArray x = hidden;
		try (NDManager scope = manager.newSubManager()) {
			FiniteCheck finite = new FiniteCheck(scope, "text " + precision.describe());
			NDArray cos = scope.create(tables[0], tableShape).toType(computeType(), false);
			NDArray sin = scope.create(tables[1], tableShape).toType(computeType(), false);
			// Masks are built once per pass on the device, not per layer on the host.
			NDArray[] masks = CachedAttention.passMasks(scope, caches, rowsPerCache, config.numAttentionHeads(),
					SCORE_BUDGET_ELEMENTS);
			for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
				NDArray out;
				try (NDManager layerScope = scope.newSubManager()) {
					x.tempAttach(layerScope);
					out = layer(layer, x, cos, sin, caches, rowsPerCache, masks);
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
			NDArray normed = RmsNorm.apply(x, weights.get("model.norm.weight"), config.rmsNormEps());
			normed.attach(manager);
			return normed;
		}
	}

	/** {@code [S, vocab]} float32 logits of final-normed hidden states (spec §7.4). */
	public NDArray logits(NDArray normed) {
		return Linear.linear(precision.toWeights(normed), tokens.head(), null).singletonOrThrow()
			.toType(DataType.FLOAT32, false);
	}

	private NDArray layer(int index, NDArray x, NDArray cos, NDArray sin, List<KvCache> caches, int[] rowsPerCache,
			NDArray[] masks) {
		String base = "model.layers." + index + ".";
		double eps = config.rmsNormEps();
		NDArray normed = precision.toWeights(RmsNorm.apply(x, weights.get(base + "input_layernorm.weight"), eps));
		NDArray attention = attention(index, base, normed, cos, sin, caches, rowsPerCache, masks);
		NDArray h = x.add(precision
			.toResidual(Projection.apply(attention, weights.get(base + "self_attn.o_proj.weight"), null)));
		NDArray normed2 = precision
			.toWeights(RmsNorm.apply(h, weights.get(base + "post_attention_layernorm.weight"), eps));
		NDArray gate = Projection.apply(normed2, weights.get(base + "mlp.gate_proj.weight"), null);
		NDArray up = Projection.apply(normed2, weights.get(base + "mlp.up_proj.weight"), null);
		// As in the Qwen2.5-VL decoder: the gated product formed wide and row-scaled into the down projection
		// under a mixed precision, as the reference otherwise.
		NDArray wideGate = precision.toResidual(gate);
		NDArray product = wideGate.mul(Activation.sigmoid(wideGate)).mul(precision.toResidual(up));
		return h.add(precision.downProjection(product, weights.get(base + "mlp.down_proj.weight"), null,
				Projection::apply));
	}

	private NDArray attention(int layer, String base, NDArray x, NDArray cos, NDArray sin, List<KvCache> caches,
			int[] rowsPerCache, NDArray[] masks) {
		long rows = x.getShape().get(0);
		int headDim = config.headDim();
		double eps = config.rmsNormEps();
		NDArray q = Projection.apply(x, weights.get(base + "self_attn.q_proj.weight"), null)
			.reshape(rows, config.numAttentionHeads(), headDim);
		NDArray k = Projection.apply(x, weights.get(base + "self_attn.k_proj.weight"), null)
			.reshape(rows, config.numKeyValueHeads(), headDim);
		NDArray v = Projection.apply(x, weights.get(base + "self_attn.v_proj.weight"), null)
			.reshape(rows, config.numKeyValueHeads(), headDim);
		// q/k norms are per head over head_dim, before the rotary (spec §7.1, §11.3 item 1).
		q = Rotary.apply(RmsNorm.apply(q, weights.get(base + "self_attn.q_norm.weight"), eps), cos, sin);
		k = Rotary.apply(RmsNorm.apply(k, weights.get(base + "self_attn.k_norm.weight"), eps), cos, sin);
		return CachedAttention.attendPass(layer, q, k, v, caches, rowsPerCache, config.numKeyValueHeads(),
				SCORE_BUDGET_ELEMENTS, masks);
	}

}
