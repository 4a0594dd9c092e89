package dev.sightline.vision.qwen.text;

import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * DeepStack features one decoder pass adds (QWEN3_VL spec §7.3): after decoder layer k, {@code features.get(k)}
 * is added to the hidden rows {@code rows} (visual placeholder rows of the pass, in sequence order).
 *
 * @param rows {@code [m]} row indices into the pass's hidden states
 * @param features per DeepStack level, {@code [m, hidden]} in the same order as {@code rows}
 */
public record DeepstackInjection(NDArray rows, List<NDArray> features) {

	public DeepstackInjection {
		features = List.copyOf(features);
	}

}
