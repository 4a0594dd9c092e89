package dev.sightline.vision.qwen3.vision;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import dev.sightline.vision.qwen.nn.LayerNorm;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.qwen3.config.Qwen3VisionConfig;
import dev.sightline.vision.weights.TensorReader;

/**
 * The Qwen3-VL vision tower's tensors, read once at load (QWEN3_VL spec §3, §6); the forward pass never looks a
 * weight up by name. {@code Hv} vision hidden size, {@code I} MLP intermediate size, {@code M = 4 Hv} the merged
 * width, {@code N²} rows of the learned position table.
 *
 * @param patchEmbed {@code [Hv, 1536]} + {@code [Hv]}: the Conv3d kernel {@code [Hv, C, T, P, P]} flattened to one
 * matmul (stride = kernel, spec §6.1)
 * @param positionTable {@code [N², Hv]} learned position embeddings, resampled to each grid (§6.2)
 * @param blocks one per block, in order
 * @param merger the final merger
 * @param deepstackMergers one per {@code deepstack_visual_indexes} entry, in order
 */
public record Qwen3VisionWeights(Linear patchEmbed, NDArray positionTable, List<Block> blocks, Merger merger,
		List<Merger> deepstackMergers) {

	public Qwen3VisionWeights {
		blocks = List.copyOf(blocks);
		deepstackMergers = List.copyOf(deepstackMergers);
	}

	/**
	 * One vision block.
	 *
	 * @param norm1 LayerNorm {@code [Hv]} + {@code [Hv]} before attention
	 * @param qkv {@code [3 Hv, Hv]} + {@code [3 Hv]}
	 * @param proj {@code [Hv, Hv]} + {@code [Hv]}
	 * @param norm2 LayerNorm {@code [Hv]} + {@code [Hv]} before the MLP
	 * @param fc1 {@code [I, Hv]} + {@code [I]}
	 * @param fc2 {@code [Hv, I]} + {@code [Hv]}
	 */
	public record Block(LayerNorm norm1, Linear qkv, Linear proj, LayerNorm norm2, Linear fc1, Linear fc2) {
	}

	/**
	 * A merger (§6.5).
	 *
	 * @param norm LayerNorm over {@code Hv} (final merger, per patch) or {@code M} (DeepStack, per 2x2 block)
	 * @param fc1 {@code [M, M]} + {@code [M]}
	 * @param fc2 {@code [out_hidden_size, M]} + {@code [out_hidden_size]}
	 */
	public record Merger(LayerNorm norm, Linear fc1, Linear fc2) {
	}

	/** The tower's tensors by canonical name with the shapes {@code config} implies. */
	public static Qwen3VisionWeights read(TensorReader reader, Qwen3VisionConfig config) {
		long hv = config.hiddenSize();
		long iv = config.intermediateSize();
		NDArray patch = reader.take("visual.patch_embed.proj.weight", hv, config.inChannels(),
				config.temporalPatchSize(), config.patchSize(), config.patchSize());
		NDArray patchBias = reader.take("visual.patch_embed.proj.bias", hv);
		NDArray positions = reader.take("visual.pos_embed.weight", config.numPositionEmbeddings(), hv);
		List<Block> blocks = new ArrayList<>();
		for (int i = 0; i < config.depth(); i++) {
			String b = "visual.blocks." + i + ".";
			LayerNorm norm1 = layerNorm(reader, b + "norm1", hv);
			LayerNorm norm2 = layerNorm(reader, b + "norm2", hv);
			Linear qkv = linear(reader, b + "attn.qkv", 3 * hv, hv);
			Linear proj = linear(reader, b + "attn.proj", hv, hv);
			Linear fc1 = linear(reader, b + "mlp.linear_fc1", iv, hv);
			Linear fc2 = linear(reader, b + "mlp.linear_fc2", hv, iv);
			blocks.add(new Block(norm1, qkv, proj, norm2, fc1, fc2));
		}
		long merged = hv * config.mergeUnit();
		Merger merger = merger(reader, "visual.merger.", hv, merged, config.outHiddenSize());
		List<Merger> deepstack = new ArrayList<>();
		for (int k = 0; k < config.deepstackVisualIndexes().length; k++) {
			// DeepStack mergers normalise the concatenated 2x2 block, so their norm is 4Hv wide (spec §6.5).
			deepstack.add(merger(reader, "visual.deepstack_merger_list." + k + ".", merged, merged,
					config.outHiddenSize()));
		}
		Linear embed = new Linear(patch == null ? null : patch.reshape(hv, config.patchRowWidth()), patchBias);
		return new Qwen3VisionWeights(embed, positions, blocks, merger, deepstack);
	}

	private static Merger merger(TensorReader reader, String prefix, long normWidth, long merged, long out) {
		LayerNorm norm = layerNorm(reader, prefix + "norm", normWidth);
		return new Merger(norm, linear(reader, prefix + "linear_fc1", merged, merged),
				linear(reader, prefix + "linear_fc2", out, merged));
	}

	private static LayerNorm layerNorm(TensorReader reader, String prefix, long width) {
		NDArray weight = reader.take(prefix + ".weight", width);
		return new LayerNorm(weight, reader.take(prefix + ".bias", width));
	}

	private static Linear linear(TensorReader reader, String prefix, long out, long in) {
		NDArray weight = reader.take(prefix + ".weight", out, in);
		return new Linear(weight, reader.take(prefix + ".bias", out));
	}

}
