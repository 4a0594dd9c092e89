package dev.sightline.vision.qwen.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import dev.sightline.vision.qwen.config.DecoderConfig;
import dev.sightline.vision.qwen.nn.GatedMlp;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.weights.TensorReader;

/**
 * The text decoder's tensors, read once at load. {@code V} vocabulary, {@code H} hidden size.
 *
 * @param embedTokens {@code [V, H]} ({@code model.embed_tokens.weight})
 * @param lmHead {@code [V, H]}: {@code lm_head.weight}, or the embedding itself for tied checkpoints
 * @param layers one per decoder layer, in order
 * @param finalNorm {@code [H]} ({@code model.norm.weight})
 */
public record TextWeights(NDArray embedTokens, NDArray lmHead, List<DecoderLayerWeights> layers, NDArray finalNorm) {

	public static final String EMBED = "model.embed_tokens.weight";

	public static final String LM_HEAD = "lm_head.weight";

	public TextWeights {
		layers = List.copyOf(layers);
	}

	/**
	 * Both families' decoder tensors, by canonical name with the shapes {@code config} implies (spec §3.2; QWEN3_VL
	 * spec §3): q/k/v biases where {@link DecoderConfig#attentionBias}, q/k norms where {@link DecoderConfig#qkNorm}.
	 * @param tieWordEmbeddings whether the head is the embedding (then {@code lm_head.weight} is not read)
	 */
	public static TextWeights read(TensorReader reader, DecoderConfig config, boolean tieWordEmbeddings) {
		long h = config.hiddenSize();
		long d = config.headDim();
		long q = config.numAttentionHeads() * d;
		long kv = config.numKeyValueHeads() * d;
		long i = config.intermediateSize();
		NDArray embed = reader.take(EMBED, config.vocabSize(), h);
		List<DecoderLayerWeights> layers = new ArrayList<>();
		for (int j = 0; j < config.numHiddenLayers(); j++) {
			String b = "model.layers." + j + ".";
			NDArray inputNorm = reader.take(b + "input_layernorm.weight", h);
			Linear qProj = projection(reader, b + "self_attn.q_proj", q, h, config.attentionBias());
			Linear kProj = projection(reader, b + "self_attn.k_proj", kv, h, config.attentionBias());
			Linear vProj = projection(reader, b + "self_attn.v_proj", kv, h, config.attentionBias());
			Linear oProj = Linear.of(reader.take(b + "self_attn.o_proj.weight", h, q));
			NDArray qNorm = config.qkNorm() ? reader.take(b + "self_attn.q_norm.weight", d) : null;
			NDArray kNorm = config.qkNorm() ? reader.take(b + "self_attn.k_norm.weight", d) : null;
			NDArray postNorm = reader.take(b + "post_attention_layernorm.weight", h);
			GatedMlp mlp = new GatedMlp(Linear.of(reader.take(b + "mlp.gate_proj.weight", i, h)),
					Linear.of(reader.take(b + "mlp.up_proj.weight", i, h)),
					Linear.of(reader.take(b + "mlp.down_proj.weight", h, i)));
			layers.add(new DecoderLayerWeights(inputNorm, qProj, kProj, vProj, oProj, qNorm, kNorm, postNorm, mlp));
		}
		NDArray norm = reader.take("model.norm.weight", h);
		NDArray head = tieWordEmbeddings ? embed : reader.take(LM_HEAD, config.vocabSize(), h);
		return new TextWeights(embed, head, layers, norm);
	}

	/** Present but unused in a tied checkpoint: some tied exports still write a copy of the head. */
	public static Set<String> ignored(boolean tieWordEmbeddings) {
		return tieWordEmbeddings ? Set.of(LM_HEAD) : Set.of();
	}

	private static Linear projection(TensorReader reader, String prefix, long out, long in, boolean bias) {
		NDArray weight = reader.take(prefix + ".weight", out, in);
		return new Linear(weight, bias ? reader.take(prefix + ".bias", out) : null);
	}

}
