package dev.sightline.vision.qwen.config;

import java.util.Arrays;

import dev.sightline.vision.qwen.nn.MRope;

import dev.sightline.vision.weights.CheckpointException;

/**
 * The decoder's sizes from {@code config.json} (spec §2.1, §3.4), whichever layout they came in.
 *
 * @param mropeSection frequency slots per M-RoPE axis (t, h, w); sums to {@code headDim() / 2}
 */
public record TextConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
		int numKeyValueHeads, int intermediateSize, double rmsNormEps, double ropeTheta, int[] mropeSection,
		HiddenAct hiddenAct) implements DecoderConfig {

	public TextConfig {
		ConfigJson.positive("vocab_size", vocabSize);
		ConfigJson.positive("hidden_size", hiddenSize);
		ConfigJson.positive("num_hidden_layers", numHiddenLayers);
		ConfigJson.positive("num_attention_heads", numAttentionHeads);
		ConfigJson.positive("num_key_value_heads", numKeyValueHeads);
		ConfigJson.positive("intermediate_size", intermediateSize);
		if (hiddenSize % numAttentionHeads != 0) {
			throw new CheckpointException("config.json: hidden_size " + hiddenSize
					+ " is not a multiple of num_attention_heads " + numAttentionHeads);
		}
		if (numAttentionHeads % numKeyValueHeads != 0) {
			throw new CheckpointException("config.json: num_attention_heads " + numAttentionHeads
					+ " is not a multiple of num_key_value_heads " + numKeyValueHeads);
		}
		if ((hiddenSize / numAttentionHeads) % 2 != 0) {
			throw new CheckpointException("config.json: head dim hidden_size/num_attention_heads = "
					+ hiddenSize / numAttentionHeads + " must be even for rotary embeddings");
		}
		if (!(rmsNormEps > 0)) {
			throw new CheckpointException("config.json: rms_norm_eps must be > 0, got " + rmsNormEps);
		}
		if (!(ropeTheta > 1)) {
			throw new CheckpointException("config.json: rope_theta must be > 1, got " + ropeTheta);
		}
		mropeSection = mropeSection.clone();
		if (mropeSection.length != 3) {
			throw new CheckpointException("config.json: rope_scaling.mrope_section needs 3 entries (t, h, w), got "
					+ Arrays.toString(mropeSection));
		}
		int sum = Arrays.stream(mropeSection).sum();
		int half = hiddenSize / numAttentionHeads / 2;
		if (sum != half || Arrays.stream(mropeSection).anyMatch(s -> s < 0)) {
			throw new CheckpointException("config.json: rope_scaling.mrope_section " + Arrays.toString(mropeSection)
					+ " must be non-negative and sum to head_dim/2 = " + half + ", sums to " + sum);
		}
		HiddenAct.require("hidden_act", hiddenAct.configName(), HiddenAct.SILU);
	}

	@Override
	public int headDim() {
		return hiddenSize / numAttentionHeads;
	}

	/** Qwen2.5-VL's M-RoPE takes contiguous sections (spec §7.2). */
	@Override
	public MRope.Layout mropeLayout() {
		return MRope.Layout.CONTIGUOUS;
	}

	/** Qwen2 attention has q/k/v biases (spec §7.1). */
	@Override
	public boolean attentionBias() {
		return true;
	}

	@Override
	public boolean qkNorm() {
		return false;
	}

	@Override
	public int[] mropeSection() {
		return mropeSection.clone();
	}

}
