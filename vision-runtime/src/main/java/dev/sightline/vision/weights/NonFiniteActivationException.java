package dev.sightline.vision.weights;

import dev.sightline.vision.VisionRuntimeException;

/**
 * A forward pass produced inf or NaN: the request fails instead of decoding garbage tokens. The message names the
 * first layer whose output was not finite and the dtype policy in force.
 */
public class NonFiniteActivationException extends VisionRuntimeException {

	private final String layer;

	public NonFiniteActivationException(String layer, String policy) {
		super(layer + " produced non-finite values (inf or NaN) under dtype policy " + policy
				+ "; the float16 range (65504) is the usual cause: use sightline.model.dtype=auto (auto-gpu on a GPU) or fp32");
		this.layer = layer;
	}

	/** The layer, e.g. {@code text decoder layer 27 (model.layers.27)}. */
	public String layer() {
		return layer;
	}

}
