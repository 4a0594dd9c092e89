package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;

/**
 * A linear layer's tensors, {@code y = x W^T + b}: {@code weight [out, in]} and {@code bias [out]}, or null where
 * the layer has none.
 */
public record Linear(NDArray weight, NDArray bias) {

	/** A layer without a bias. */
	public static Linear of(NDArray weight) {
		return new Linear(weight, null);
	}

	/** Through {@link Projection}: the few rows of a batched decode step with the weight as the left operand. */
	public NDArray apply(NDArray x) {
		return Projection.apply(x, weight, bias);
	}

	/**
	 * libtorch's linear as it is, whatever the row count: the Qwen2.5-VL vision tower's form (its rows are patches,
	 * and its golden vectors were matched with it).
	 */
	public NDArray applyPlain(NDArray x) {
		return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
	}

}
