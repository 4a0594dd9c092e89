package dev.sightline.vision.weights;

import java.util.Objects;

/**
 * The {@link Precision} of each part of a vision-language model: its vision tower and its text decoder. A named
 * policy, resolved once at load from {@code sightline.model.dtype} and the device ({@link ComputeType#policy}), so
 * any model family with those two parts can use it.
 * <ul>
 * <li>{@code fp32}: everything float32 (the CPU default; the golden set's reference).</li>
 * <li>{@code fp16}: everything float16, the naive half path; Qwen2.5-VL overflows it on some inputs, which the
 * runtime reports as an error naming the layer.</li>
 * <li>{@code auto-gpu}: float16 weights and matmuls in both parts, float32 residual streams, norms, softmax, logits
 * and MLP intermediates, row-scaled MLP down projections (the GPU default).</li>
 * </ul>
 */
public record DtypePolicy(String name, Precision vision, Precision text) {

	public static final DtypePolicy FP32 = new DtypePolicy("fp32", Precision.FP32, Precision.FP32);

	public static final DtypePolicy FP16 = new DtypePolicy("fp16", Precision.FP16, Precision.FP16);

	public static final DtypePolicy AUTO_GPU = new DtypePolicy("auto-gpu", Precision.MIXED_FP16,
			Precision.MIXED_FP16);

	public DtypePolicy {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(vision, "vision");
		Objects.requireNonNull(text, "text");
	}

	/** The precision of tensors under a checkpoint name: vision tower weights start {@code visual.}. */
	public Precision forTensor(String canonicalName) {
		return canonicalName.startsWith("visual.") ? vision : text;
	}

	/** {@code auto-gpu (vision fp16/fp32, text fp16/fp32)}. */
	public String describe() {
		return name + " (vision " + vision.describe() + ", text " + text.describe() + ")";
	}

}
