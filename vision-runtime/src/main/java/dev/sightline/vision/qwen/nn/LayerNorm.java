package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * LayerNorm over the last axis with weight and bias (QWEN3_VL spec §6.4, §6.5): statistics in float32 with the
 * biased variance, as {@code torch.nn.LayerNorm}.
 *
 * @param weight {@code [width]}
 * @param bias {@code [width]}
 */
public record LayerNorm(NDArray weight, NDArray bias) {

	public static final double EPS = 1e-6;

	public NDArray apply(NDArray x) {
		NDArray wide = x.toType(DataType.FLOAT32, false);
		NDArray mean = wide.mean(new int[] { -1 }, true);
		NDArray centred = wide.sub(mean);
		NDArray variance = centred.square().mean(new int[] { -1 }, true);
		NDArray normalised = centred.div(variance.add((float) EPS).sqrt()).toType(x.getDataType(), false);
		return normalised.mul(weight).add(bias);
	}

}
