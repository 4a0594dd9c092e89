package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Qwen2 RMSNorm (spec §6.4, §7.1): statistics in float32, the normalised value cast back to the activation dtype,
 * then multiplied by the weight, in the reference's order.
 */
public final class RmsNorm {

	private RmsNorm() {
	}

	public static NDArray apply(NDArray x, NDArray weight, double eps) {
		NDArray wide = x.toType(DataType.FLOAT32, false);
		NDArray meanSquare = wide.square().mean(new int[] { -1 }, true); // [..., 1]
		NDArray normalised = wide.div(meanSquare.add((float) eps).sqrt());
		return normalised.toType(x.getDataType(), false).mul(weight);
	}

}
