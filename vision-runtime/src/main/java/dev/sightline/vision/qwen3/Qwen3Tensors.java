package dev.sightline.vision.qwen3;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.config.Qwen3TextConfig;
import dev.sightline.vision.qwen3.config.Qwen3VisionConfig;

/**
 * Every tensor a Qwen3-VL config implies, by canonical name ({@link dev.sightline.vision.weights.TensorNames}: the
 * published {@code model.visual.*} / {@code model.language_model.*} keys read as {@code visual.*} / {@code model.*})
 * with its shape (QWEN3_VL spec §3). The loader validates a checkpoint against this before reading any data.
 */
public final class Qwen3Tensors {

	static final String LM_HEAD = "lm_head.weight";

	private Qwen3Tensors() {
	}

	public static Map<String, long[]> expected(Qwen3Config config) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		Qwen3VisionConfig v = config.vision();
		long hv = v.hiddenSize();
		long iv = v.intermediateSize();
		shapes.put("visual.patch_embed.proj.weight",
				new long[] { hv, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize() });
		shapes.put("visual.patch_embed.proj.bias", new long[] { hv });
		shapes.put("visual.pos_embed.weight", new long[] { v.numPositionEmbeddings(), hv });
		for (int i = 0; i < v.depth(); i++) {
			String b = "visual.blocks." + i + ".";
			for (String norm : new String[] { "norm1", "norm2" }) {
				shapes.put(b + norm + ".weight", new long[] { hv });
				shapes.put(b + norm + ".bias", new long[] { hv });
			}
			shapes.put(b + "attn.qkv.weight", new long[] { 3 * hv, hv });
			shapes.put(b + "attn.qkv.bias", new long[] { 3 * hv });
			shapes.put(b + "attn.proj.weight", new long[] { hv, hv });
			shapes.put(b + "attn.proj.bias", new long[] { hv });
			shapes.put(b + "mlp.linear_fc1.weight", new long[] { iv, hv });
			shapes.put(b + "mlp.linear_fc1.bias", new long[] { iv });
			shapes.put(b + "mlp.linear_fc2.weight", new long[] { hv, iv });
			shapes.put(b + "mlp.linear_fc2.bias", new long[] { hv });
		}
		long merged = hv * v.mergeUnit();
		merger(shapes, "visual.merger.", hv, merged, v.outHiddenSize());
		for (int k = 0; k < v.deepstackVisualIndexes().length; k++) {
			// DeepStack mergers normalise the concatenated 2x2 block, so their norm is 4Hv wide (spec §6.5).
			merger(shapes, "visual.deepstack_merger_list." + k + ".", merged, merged, v.outHiddenSize());
		}

		Qwen3TextConfig t = config.text();
		long h = t.hiddenSize();
		long q = (long) t.numAttentionHeads() * t.headDim();
		long kv = (long) t.numKeyValueHeads() * t.headDim();
		shapes.put("model.embed_tokens.weight", new long[] { t.vocabSize(), h });
		for (int j = 0; j < t.numHiddenLayers(); j++) {
			String b = "model.layers." + j + ".";
			shapes.put(b + "input_layernorm.weight", new long[] { h });
			shapes.put(b + "self_attn.q_proj.weight", new long[] { q, h });
			shapes.put(b + "self_attn.k_proj.weight", new long[] { kv, h });
			shapes.put(b + "self_attn.v_proj.weight", new long[] { kv, h });
			shapes.put(b + "self_attn.o_proj.weight", new long[] { h, q });
			shapes.put(b + "self_attn.q_norm.weight", new long[] { t.headDim() });
			shapes.put(b + "self_attn.k_norm.weight", new long[] { t.headDim() });
			shapes.put(b + "post_attention_layernorm.weight", new long[] { h });
			shapes.put(b + "mlp.gate_proj.weight", new long[] { t.intermediateSize(), h });
			shapes.put(b + "mlp.up_proj.weight", new long[] { t.intermediateSize(), h });
			shapes.put(b + "mlp.down_proj.weight", new long[] { h, t.intermediateSize() });
		}
		shapes.put("model.norm.weight", new long[] { h });
		if (!config.tieWordEmbeddings()) {
			shapes.put(LM_HEAD, new long[] { t.vocabSize(), h });
		}
		return shapes;
	}

	private static void merger(Map<String, long[]> shapes, String prefix, long normWidth, long merged, long out) {
		shapes.put(prefix + "norm.weight", new long[] { normWidth });
		shapes.put(prefix + "norm.bias", new long[] { normWidth });
		shapes.put(prefix + "linear_fc1.weight", new long[] { merged, merged });
		shapes.put(prefix + "linear_fc1.bias", new long[] { merged });
		shapes.put(prefix + "linear_fc2.weight", new long[] { out, merged });
		shapes.put(prefix + "linear_fc2.bias", new long[] { out });
	}

	/** Present but unused: some tied exports still write a copy of the head. */
	public static Set<String> ignored(Qwen3Config config) {
		return config.tieWordEmbeddings() ? Set.of(LM_HEAD) : Set.of();
	}

}
