package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** {@code x·cos + rotate_half(x)·sin}, with {@code rotate_half(v) = concat(-v[d/2:], v[:d/2])} (spec §6.2, §7.2). */
public final class Rotary {

	private Rotary() {
	}

	/** {@code x [..., d]}; cos and sin broadcast against it. */
	public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
		long half = x.getShape().get(x.getShape().dimension() - 1) / 2;
		NDArray first = x.get("..., :{}", half);
		NDArray second = x.get("..., {}:", half);
		NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1);
		return x.mul(cos).add(rotated.mul(sin));
	}

	/**
	 * The vision towers' q, k and v from one fused projection {@code qkv [n, 3, heads, headDim]}, q and k rotated
	 * in float32 as the reference does, then back to {@code qkv}'s dtype (spec §6.2; QWEN3_VL spec §6.3).
	 * @return {q, k, v}, each {@code [n, heads, headDim]}
	 */
	public static NDArray[] visionQkv(NDArray qkv, NDArray cos, NDArray sin) {
		DataType computeType = qkv.getDataType();
		NDArray q = apply(qkv.get(":, 0").toType(DataType.FLOAT32, false), cos, sin).toType(computeType, false);
		NDArray k = apply(qkv.get(":, 1").toType(DataType.FLOAT32, false), cos, sin).toType(computeType, false);
		return new NDArray[] { q, k, qkv.get(":, 2") };
	}

}
