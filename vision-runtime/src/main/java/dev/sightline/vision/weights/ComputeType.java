package dev.sightline.vision.weights;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * {@code sightline.model.dtype}: the {@link DtypePolicy} a model computes in. {@code auto} picks {@code fp32} on
 * CPU (libtorch's CPU half-precision matmuls are slower than float32 and lose precision) and {@code auto-gpu} on a
 * GPU: float16 weights with float32 residual streams (DJL's JNI has no bfloat16, and plain float16 overflows in
 * Qwen2.5-VL's MLPs). {@code auto-gpu} can be forced on a CPU to test it; {@code fp16} is the naive all-half path.
 */
public enum ComputeType {

	AUTO, FP32, FP16, AUTO_GPU;

	public static ComputeType parse(String value) {
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(
					"sightline.model.dtype must be auto, fp32, fp16 or auto-gpu, got '" + value + "'");
		}
	}

	/** The name users write: {@code auto}, {@code fp32}, {@code fp16}, {@code auto-gpu}. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** The per-part dtypes on {@code device}. */
	public DtypePolicy policy(Device device) {
		return switch (this) {
			case FP32 -> DtypePolicy.FP32;
			case FP16 -> DtypePolicy.FP16;
			case AUTO_GPU -> DtypePolicy.AUTO_GPU;
			case AUTO -> device.isGpu() ? DtypePolicy.AUTO_GPU : DtypePolicy.FP32;
		};
	}

	/** The dtype weights are stored in on {@code device} (the text decoder's, where parts differ). */
	public DataType resolve(Device device) {
		return policy(device).text().weights();
	}

}
