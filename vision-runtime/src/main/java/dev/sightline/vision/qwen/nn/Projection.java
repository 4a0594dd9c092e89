package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * The decoder's linear layer {@code x W^T + b} for {@code x [rows, in]}, {@code W [out, in]}. For the few rows of a
 * batched decode step it computes {@code (W x^T)^T}: libtorch's CPU GEMM with a few rows against a transposed
 * weight ran up to twice as slow as the same product with the weight as the left operand (3B widths, 2 rows: up
 * projection 10.7 ms vs 6.0 ms; a whole 2-layer step of 2 sequences 125–148 ms vs 98–117 ms, of 16 sequences
 * 235–274 ms vs 222 ms). Prompts (many rows) and single rows keep the plain form, which measured as fast or faster
 * there. A GPU always runs the plain form: the trick is about CPU GEMM kernels and only adds copies there.
 */
public final class Projection {

	/** Most rows for which the weight goes on the left: the runtime's largest decode batch. */
	static final long FEW_ROWS = 32;

	private Projection() {
	}

	public static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
		long rows = x.getShape().get(0);
		if (rows < 2 || rows > FEW_ROWS || x.getShape().dimension() != 2 || x.getDevice().isGpu()) {
			return Linear.linear(x, weight, bias).singletonOrThrow();
		}
		long outFeatures = weight.getShape().get(0);
		// Flattening copies the transposed product row-major, so later ops read contiguous rows.
		NDArray out = weight.matMul(x.transpose()).transpose().reshape(-1).reshape(rows, outFeatures);
		return bias == null ? out : out.add(bias);
	}

}
