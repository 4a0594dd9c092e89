package dev.sightline.vision.qwen.config;

import dev.sightline.vision.qwen.nn.MRope;

/**
 * What the one text decoder needs from a family's text config: the sizes, and the three places the families'
 * decoder layers differ (spec §7; QWEN3_VL spec §7): the M-RoPE layout, q/k/v biases (Qwen2.5-VL) and per-head
 * q/k RMSNorm (Qwen3-VL).
 */
public interface DecoderConfig {

	int vocabSize();

	int hiddenSize();

	int numHiddenLayers();

	int numAttentionHeads();

	int numKeyValueHeads();

	int headDim();

	int intermediateSize();

	double rmsNormEps();

	double ropeTheta();

	/** Frequency slots per M-RoPE axis (t, h, w); sums to {@code headDim() / 2}. */
	int[] mropeSection();

	/** How the frequency slots are assigned to the position axes. */
	MRope.Layout mropeLayout();

	/** Whether q, k and v projections carry biases. */
	boolean attentionBias();

	/** Whether q and k are RMS-normed per head before the rotary. */
	boolean qkNorm();

	/** Query heads served by one key/value head (GQA). */
	default int groupSize() {
		return numAttentionHeads() / numKeyValueHeads();
	}

	/** The family's M-RoPE tables for this config. */
	default MRope mrope() {
		return new MRope(mropeLayout(), ropeTheta(), headDim(), mropeSection());
	}

}
