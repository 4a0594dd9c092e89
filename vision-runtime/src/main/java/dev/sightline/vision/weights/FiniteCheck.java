package dev.sightline.vision.weights;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Records, per layer of one pass, whether its output held inf or NaN, without a host round trip per layer:
 * {@code sum(x - x)} is 0 for finite values and NaN otherwise (in any dtype, with no overflow), kept on the device;
 * {@link #verify()} reads every layer's flag in one copy and names the first bad layer.
 */
public final class FiniteCheck {

	private final NDManager manager;

	private final String policy;

	private final List<String> layers = new ArrayList<>();

	private final NDList flags = new NDList();

	/** @param manager owns the flags; they die with it */
	public FiniteCheck(NDManager manager, String policy) {
		this.manager = manager;
		this.policy = policy;
	}

	/** Notes the output of {@code layer}, e.g. {@code text decoder layer 3 (model.layers.3)}. */
	public void record(String layer, NDArray output) {
		// The difference is as large as the output: freed at once, not with the pass.
		NDArray flag;
		try (NDArray difference = output.sub(output); NDArray sum = difference.sum()) {
			flag = sum.toType(ai.djl.ndarray.types.DataType.FLOAT32, true);
		}
		flag.attach(manager);
		layers.add(layer);
		flags.add(flag);
	}

	/** @throws NonFiniteActivationException naming the first layer whose output was not finite */
	public void verify() {
		if (flags.isEmpty()) {
			return;
		}
		float[] values;
		try (NDArray stacked = NDArrays.stack(flags)) {
			values = stacked.toFloatArray();
		}
		for (int i = 0; i < values.length; i++) {
			if (values[i] != 0) {
				throw new NonFiniteActivationException(layers.get(i), policy);
			}
		}
	}

	/** Throws when a host row of values (e.g. logits) holds inf or NaN. */
	public static void verify(String layer, float[] values, String policy) {
		for (float value : values) {
			if (!Float.isFinite(value)) {
				throw new NonFiniteActivationException(layer, policy);
			}
		}
	}

}
