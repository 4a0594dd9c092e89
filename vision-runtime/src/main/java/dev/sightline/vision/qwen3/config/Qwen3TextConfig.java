package dev.sightline.vision.qwen3.config;

import java.util.Arrays;

import dev.sightline.vision.qwen.config.ConfigJson;
import dev.sightline.vision.qwen.config.DecoderConfig;
import dev.sightline.vision.qwen.nn.MRope;
import dev.sightline.vision.weights.CheckpointException;

/**
 * The Qwen3 decoder's sizes from {@code config.json} {@code text_config} (QWEN3_VL spec §2.1, §7). Unlike Qwen2.5,
 * {@code head_dim} is read, never derived: the 4B has {@code heads * head_dim = 4096 != hidden_size = 2560}.
 *
 * @param headDim width of one attention head (128 in every published size)
 * @param mropeSection frequency slots per M-RoPE axis (t, h, w), summing to {@code headDim / 2}; interleaved (§7.2)
 */
public record Qwen3TextConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
		int numKeyValueHeads, int headDim, int intermediateSize, double rmsNormEps, double ropeTheta,
		int[] mropeSection) implements DecoderConfig {

	public Qwen3TextConfig {
		ConfigJson.positive("vocab_size", vocabSize);
		ConfigJson.positive("hidden_size", hiddenSize);
		ConfigJson.positive("num_hidden_layers", numHiddenLayers);
		ConfigJson.positive("num_attention_heads", numAttentionHeads);
		ConfigJson.positive("num_key_value_heads", numKeyValueHeads);
		ConfigJson.positive("head_dim", headDim);
		ConfigJson.positive("intermediate_size", intermediateSize);
		if (numAttentionHeads % numKeyValueHeads != 0) {
			throw new CheckpointException("config.json: text_config.num_attention_heads " + numAttentionHeads
					+ " is not a multiple of num_key_value_heads " + numKeyValueHeads);
		}
		if (headDim % 2 != 0) {
			throw new CheckpointException("config.json: text_config.head_dim " + headDim + " must be even for rotary");
		}
		if (!(rmsNormEps > 0) || !(ropeTheta > 1)) {
			throw new CheckpointException("config.json: text_config.rms_norm_eps must be > 0 and rope_theta > 1, got "
					+ rmsNormEps + " and " + ropeTheta);
		}
		mropeSection = mropeSection.clone();
		int sum = Arrays.stream(mropeSection).sum();
		if (mropeSection.length != 3 || sum != headDim / 2 || Arrays.stream(mropeSection).anyMatch(s -> s < 0)) {
			throw new CheckpointException("config.json: mrope_section " + Arrays.toString(mropeSection)
					+ " must hold 3 non-negative entries summing to head_dim/2 = " + headDim / 2);
		}
	}

	/** Qwen3-VL's M-RoPE interleaves the axes (spec §7.2). */
	@Override
	public MRope.Layout mropeLayout() {
		return MRope.Layout.INTERLEAVED;
	}

	/** Qwen3 attention has no biases (spec §7.1). */
	@Override
	public boolean attentionBias() {
		return false;
	}

	/** q and k are RMS-normed per head over head_dim before the rotary (spec §7.1, §11.3 item 1). */
	@Override
	public boolean qkNorm() {
		return true;
	}

	@Override
	public int[] mropeSection() {
		return mropeSection.clone();
	}

}
