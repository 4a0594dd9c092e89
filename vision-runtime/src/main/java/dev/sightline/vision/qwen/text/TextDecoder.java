package dev.sightline.vision.qwen.text;

import dev.sightline.vision.qwen.config.TextConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.sightline.vision.weights.Weights;

/**
 * The Qwen2 decoder (spec §7.1, §7.2): GQA attention with q/k/v bias and M-RoPE, SwiGLU MLP, RMSNorm, and the
 * output head (tied to {@code embed_tokens} when the checkpoint has no {@code lm_head.weight}). Works on one
 * sequence ({@code [S, hidden]}) against its {@link KvCache}.
 */
public final class TextDecoder {

	private final TextConfig config;

	private final Weights weights;

	private final MRope mrope;

	private final NDArray embedTokens; // [vocab, hidden]

	private final NDArray lmHead; // [vocab, hidden]

	public TextDecoder(TextConfig config, Weights weights, boolean tieWordEmbeddings) {
		this.config = config;
		this.weights = weights;
		this.mrope = new MRope(config);
		this.embedTokens = weights.get("model.embed_tokens.weight");
		// If lm_head.weight is absent the head is tied to the embedding (3B).
		this.lmHead = tieWordEmbeddings ? embedTokens : weights.get("lm_head.weight");
	}

	public TextConfig config() {
		return config;
	}

	public DataType computeType() {
		return embedTokens.getDataType();
	}

	/** {@code [S, hidden]} embeddings of {@code ids}, owned by {@code manager}. */
	public NDArray embed(NDManager manager, long[] ids) {
		for (long id : ids) {
			if (id < 0 || id >= config.vocabSize()) {
				throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + config.vocabSize() + ")");
			}
		}
		NDArray index = manager.create(ids);
		NDArray rows = embedTokens.get(index);
		rows.attach(manager);
		return rows;
	}

	/**
	 * Runs all layers over {@code hidden [S, hidden]} at {@code positions [3][S]}, appending to {@code cache}.
	 * @return the final-normed hidden states {@code [S, hidden]}, attached to {@code hidden}'s manager
	 */
	public NDArray forward(NDArray hidden, long[][] positions, KvCache cache) {
		NDManager manager = hidden.getManager();
		int tokens = positions[0].length;
		float[][] tables = mrope.tables(positions);
		Shape tableShape = new Shape(tokens, 1, config.headDim());
		NDArray x = hidden;
		try (NDManager scope = manager.newSubManager()) {
			// The reference casts the decoder's cos/sin to the activation dtype and rotates in it (spec §11.1).
			NDArray cos = scope.create(tables[0], tableShape).toType(computeType(), false);
			NDArray sin = scope.create(tables[1], tableShape).toType(computeType(), false);
			NDArray mask = tokens > 1 ? causalMask(scope, tokens, cache.length()) : null;
			for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
				NDArray out;
				try (NDManager layerScope = scope.newSubManager()) {
					x.tempAttach(layerScope);
					out = layer(layer, x, cos, sin, mask, cache);
					out.attach(scope);
				}
				if (x != hidden) {
					x.close();
				}
				x = out;
			}
			cache.advance(tokens);
			NDArray normed = RmsNorm.apply(x, weights.get("model.norm.weight"), config.rmsNormEps());
			normed.attach(manager);
			return normed;
		}
	}

	/** {@code [S, vocab]} float32 logits of final-normed hidden states. */
	public NDArray logits(NDArray normed) {
		return Linear.linear(normed, lmHead, null).singletonOrThrow().toType(DataType.FLOAT32, false);
	}

	private NDArray layer(int index, NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache) {
		String base = "model.layers." + index + ".";
		NDArray normed = RmsNorm.apply(x, weights.get(base + "input_layernorm.weight"), config.rmsNormEps());
		NDArray attention = attention(index, base, normed, cos, sin, mask, cache);
		NDArray h = x.add(linear(attention, weights.get(base + "self_attn.o_proj.weight"), null));
		NDArray normed2 = RmsNorm.apply(h, weights.get(base + "post_attention_layernorm.weight"), config.rmsNormEps());
		NDArray gate = linear(normed2, weights.get(base + "mlp.gate_proj.weight"), null);
		NDArray up = linear(normed2, weights.get(base + "mlp.up_proj.weight"), null);
		return h.add(linear(gate.mul(Activation.sigmoid(gate)).mul(up), weights.get(base + "mlp.down_proj.weight"), null));
	}

	private NDArray attention(int layer, String base, NDArray x, NDArray cos, NDArray sin, NDArray mask,
			KvCache cache) {
		long tokens = x.getShape().get(0);
		int heads = config.numAttentionHeads();
		int kvHeads = config.numKeyValueHeads();
		int group = config.groupSize();
		int headDim = config.headDim();
		NDArray q = linear(x, weights.get(base + "self_attn.q_proj.weight"), weights.get(base + "self_attn.q_proj.bias"))
			.reshape(tokens, heads, headDim);
		NDArray k = linear(x, weights.get(base + "self_attn.k_proj.weight"), weights.get(base + "self_attn.k_proj.bias"))
			.reshape(tokens, kvHeads, headDim);
		NDArray v = linear(x, weights.get(base + "self_attn.v_proj.weight"), weights.get(base + "self_attn.v_proj.bias"))
			.reshape(tokens, kvHeads, headDim);
		q = Rotary.apply(q, cos, sin);
		k = Rotary.apply(k, cos, sin);
		NDArray[] cached = cache.append(layer, k.transpose(1, 0, 2), v.transpose(1, 0, 2)); // [kv, T, hd]
		long total = cached[0].getShape().get(1);
		// GQA without repeating the cache: query head j = g * group + i reads KV head g, so the group's queries
		// line up as one [group * S] block per KV head.
		NDArray queries = q.reshape(tokens, kvHeads, group, headDim)
			.transpose(1, 2, 0, 3)
			.reshape(kvHeads, group * tokens, headDim);
		NDArray scores = queries.matMul(cached[0].transpose(0, 2, 1))
			.toType(DataType.FLOAT32, false)
			.mul((float) (1 / Math.sqrt(headDim))); // [kv, group * S, T]
		if (mask != null) {
			scores = scores.reshape(kvHeads, group, tokens, total).add(mask).reshape(kvHeads, group * tokens, total);
		}
		NDArray context = scores.softmax(-1).toType(q.getDataType(), false).matMul(cached[1]); // [kv, group*S, hd]
		return context.reshape(kvHeads, group, tokens, headDim)
			.transpose(2, 0, 1, 3)
			.reshape(tokens, (long) heads * headDim);
	}

	/** {@code [S, past + S]}: query i (at cache position past + i) sees keys up to past + i. */
	private static NDArray causalMask(NDManager manager, int tokens, int past) {
		int total = past + tokens;
		float[] mask = new float[tokens * total];
		for (int i = 0; i < tokens; i++) {
			for (int j = past + i + 1; j < total; j++) {
				mask[i * total + j] = -Float.MAX_VALUE;
			}
		}
		return manager.create(mask, new Shape(tokens, total));
	}

	private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
		return Linear.linear(x, weight, bias).singletonOrThrow();
	}

}
