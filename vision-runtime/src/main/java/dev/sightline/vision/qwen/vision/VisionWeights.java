package dev.sightline.vision.qwen.vision;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import dev.sightline.vision.qwen.config.VisionConfig;
import dev.sightline.vision.qwen.nn.GatedMlp;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.weights.TensorReader;

/**
 * The Qwen2.5-VL vision tower's tensors, read once at load (spec §3.2, §6); the forward pass never looks a weight
 * up by name. {@code Hv} vision hidden size, {@code I} MLP intermediate size (zero-padded at load to a fast width,
 * {@link VisionTower#padIntermediate}), {@code M = 4 Hv} the merged width.
 *
 * @param patchEmbed {@code [Hv, 1176]}: the Conv3d kernel {@code [Hv, C, T, P, P]} flattened to one matmul
 * @param blocks one per block, in order
 * @param merger the patch merger
 */
public record VisionWeights(NDArray patchEmbed, List<Block> blocks, Merger merger) {

	public VisionWeights {
		blocks = List.copyOf(blocks);
	}

	/**
	 * One vision block.
	 *
	 * @param norm1 {@code [Hv]} RMSNorm before attention
	 * @param qkv {@code [3 Hv, Hv]} + {@code [3 Hv]}
	 * @param proj {@code [Hv, Hv]} + {@code [Hv]}
	 * @param norm2 {@code [Hv]} RMSNorm before the MLP
	 * @param mlp gate and up {@code [I, Hv]} + {@code [I]}, down {@code [Hv, I]} + {@code [Hv]}
	 */
	public record Block(NDArray norm1, Linear qkv, Linear proj, NDArray norm2, GatedMlp mlp) {
	}

	/**
	 * The patch merger (spec §6.5).
	 *
	 * @param norm {@code [Hv]} RMSNorm of each patch ({@code ln_q})
	 * @param fc1 {@code [M, M]} + {@code [M]}
	 * @param fc2 {@code [out_hidden_size, M]} + {@code [out_hidden_size]}
	 */
	public record Merger(NDArray norm, Linear fc1, Linear fc2) {
	}

	/**
	 * The tower's tensors by canonical name with the shapes {@code config} implies.
	 * @param intermediate the MLP width the tensors have: {@code config.intermediateSize()} as published, wider
	 * once padded
	 */
	public static VisionWeights read(TensorReader reader, VisionConfig config, long intermediate) {
		long hv = config.hiddenSize();
		NDArray patch = reader.take("visual.patch_embed.proj.weight", hv, config.inChannels(),
				config.temporalPatchSize(), config.patchSize(), config.patchSize());
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < config.depth(); i++) {
			String b = "visual.blocks." + i + ".";
			NDArray norm1 = reader.take(b + "norm1.weight", hv);
			NDArray norm2 = reader.take(b + "norm2.weight", hv);
			Linear qkv = linear(reader, b + "attn.qkv", 3 * hv, hv);
			Linear proj = linear(reader, b + "attn.proj", hv, hv);
			Linear gate = linear(reader, b + "mlp.gate_proj", intermediate, hv);
			Linear up = linear(reader, b + "mlp.up_proj", intermediate, hv);
			Linear down = linear(reader, b + "mlp.down_proj", hv, intermediate);
			blocks.add(new Block(norm1, qkv, proj, norm2, new GatedMlp(gate, up, down)));
		}
		long merged = hv * config.mergeUnit();
		NDArray norm = reader.take("visual.merger.ln_q.weight", hv);
		Linear fc1 = linear(reader, "visual.merger.mlp.0", merged, merged);
		Linear fc2 = linear(reader, "visual.merger.mlp.2", config.outHiddenSize(), merged);
		return new VisionWeights(patch == null ? null : patch.reshape(hv, config.patchRowWidth()), blocks,
				new Merger(norm, fc1, fc2));
	}

	/** A linear layer with weight {@code [out, in]} and bias {@code [out]}. */
	static Linear linear(TensorReader reader, String prefix, long out, long in) {
		NDArray weight = reader.take(prefix + ".weight", out, in);
		return new Linear(weight, reader.take(prefix + ".bias", out));
	}

}
