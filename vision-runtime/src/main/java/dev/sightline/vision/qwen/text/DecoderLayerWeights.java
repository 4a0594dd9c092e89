package dev.sightline.vision.qwen.text;

import ai.djl.ndarray.NDArray;
import dev.sightline.vision.qwen.nn.GatedMlp;
import dev.sightline.vision.qwen.nn.Linear;

/**
 * One decoder layer's tensors, read once at load ({@link TextWeights#read}); the forward pass never looks a weight
 * up by name. {@code H} hidden size, {@code D} head_dim, {@code Q = heads * D}, {@code KV = kvHeads * D},
 * {@code I} intermediate size (spec §3.2; QWEN3_VL spec §3).
 *
 * @param inputNorm {@code [H]} RMSNorm before attention ({@code input_layernorm})
 * @param q {@code [Q, H]}, with bias {@code [Q]} in Qwen2.5-VL only
 * @param k {@code [KV, H]}, with bias {@code [KV]} in Qwen2.5-VL only
 * @param v {@code [KV, H]}, with bias {@code [KV]} in Qwen2.5-VL only
 * @param o {@code [H, Q]}, no bias
 * @param qNorm {@code [D]} per-head RMSNorm of q (Qwen3-VL only; null in Qwen2.5-VL)
 * @param kNorm {@code [D]} per-head RMSNorm of k (Qwen3-VL only; null in Qwen2.5-VL)
 * @param postNorm {@code [H]} RMSNorm before the MLP ({@code post_attention_layernorm})
 * @param mlp gate and up {@code [I, H]}, down {@code [H, I]}, no biases
 */
public record DecoderLayerWeights(NDArray inputNorm, Linear q, Linear k, Linear v, Linear o, NDArray qNorm,
		NDArray kNorm, NDArray postNorm, GatedMlp mlp) {
}
