package dev.sightline.vision.weights;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * {@code sightline.model.dtype}: the dtype weights and activations live in. Norm statistics, softmax and rotary
 * angles stay in float32 whatever is chosen. {@code auto} picks float32 on CPU (libtorch's CPU half-precision
 * matmuls are slower than float32 and lose precision) and float16 on a GPU (DJL's JNI has no bfloat16).
 */
public enum ComputeType {

	AUTO, FP32, FP16;

	public static ComputeType parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("sightline.model.dtype must be auto, fp32 or fp16, got '" + value + "'");
		}
	}

	public DataType resolve(Device device) {
		return switch (this) {
			case FP32 -> DataType.FLOAT32;
			case FP16 -> DataType.FLOAT16;
			case AUTO -> device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
		};
	}

}
