package dev.sightline.vision.qwen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.vision.qwen.config.TextConfig;
import dev.sightline.vision.qwen.config.VisionConfig;

/**
 * Every tensor a Qwen2.5-VL config implies, by published-layout name with its shape (spec §3.2). The loader
 * validates a checkpoint against this before reading any data.
 */
public final class QwenTensors {

	static final String LM_HEAD = "lm_head.weight";

	static final String EMBED = "model.embed_tokens.weight";

	private QwenTensors() {
	}

	public static Map<String, long[]> expected(QwenConfig config) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		VisionConfig v = config.vision();
		long hv = v.hiddenSize();
		shapes.put("visual.patch_embed.proj.weight",
				new long[] { hv, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize() });
		for (int i = 0; i < v.depth(); i++) {
			String b = "visual.blocks." + i + ".";
			shapes.put(b + "norm1.weight", new long[] { hv });
			shapes.put(b + "norm2.weight", new long[] { hv });
			shapes.put(b + "attn.qkv.weight", new long[] { 3 * hv, hv });
			shapes.put(b + "attn.qkv.bias", new long[] { 3 * hv });
			shapes.put(b + "attn.proj.weight", new long[] { hv, hv });
			shapes.put(b + "attn.proj.bias", new long[] { hv });
			for (String proj : new String[] { "gate_proj", "up_proj" }) {
				shapes.put(b + "mlp." + proj + ".weight", new long[] { v.intermediateSize(), hv });
				shapes.put(b + "mlp." + proj + ".bias", new long[] { v.intermediateSize() });
			}
			shapes.put(b + "mlp.down_proj.weight", new long[] { hv, v.intermediateSize() });
			shapes.put(b + "mlp.down_proj.bias", new long[] { hv });
		}
		long merged = hv * v.mergeUnit();
		shapes.put("visual.merger.ln_q.weight", new long[] { hv });
		shapes.put("visual.merger.mlp.0.weight", new long[] { merged, merged });
		shapes.put("visual.merger.mlp.0.bias", new long[] { merged });
		shapes.put("visual.merger.mlp.2.weight", new long[] { v.outHiddenSize(), merged });
		shapes.put("visual.merger.mlp.2.bias", new long[] { v.outHiddenSize() });

		TextConfig t = config.text();
		long h = t.hiddenSize();
		long q = (long) t.numAttentionHeads() * t.headDim();
		long kv = (long) t.numKeyValueHeads() * t.headDim();
		shapes.put(EMBED, new long[] { t.vocabSize(), h });
		for (int j = 0; j < t.numHiddenLayers(); j++) {
			String b = "model.layers." + j + ".";
			shapes.put(b + "input_layernorm.weight", new long[] { h });
			shapes.put(b + "self_attn.q_proj.weight", new long[] { q, h });
			shapes.put(b + "self_attn.q_proj.bias", new long[] { q });
			shapes.put(b + "self_attn.k_proj.weight", new long[] { kv, h });
			shapes.put(b + "self_attn.k_proj.bias", new long[] { kv });
			shapes.put(b + "self_attn.v_proj.weight", new long[] { kv, h });
			shapes.put(b + "self_attn.v_proj.bias", new long[] { kv });
			shapes.put(b + "self_attn.o_proj.weight", new long[] { h, q });
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

	/** Present but unused: some tied exports still write a copy of the head. */
	public static Set<String> ignored(QwenConfig config) {
		return config.tieWordEmbeddings() ? Set.of(LM_HEAD) : Set.of();
	}

}
