package dev.sightline.vision.qwen3.vision;

import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * What the Qwen3-VL vision tower gives the decoder for a list of images or videos (QWEN3_VL spec §6.5), all in
 * processor order and owned by the caller's manager.
 *
 * @param embeds {@code [N/4, H]} final merger output, spliced over the placeholder tokens
 * @param deepstack per DeepStack merger k, {@code [N/4, H]}, added after decoder layer k
 */
public record VisionFeatures(NDArray embeds, List<NDArray> deepstack) {

	public VisionFeatures {
		deepstack = List.copyOf(deepstack);
	}

	public long tokens() {
		return embeds.getShape().get(0);
	}

}
