package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

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

}
