package dev.sightline.vision.conformance;

import dev.sightline.vision.weights.ComputeType;

/**
 * The least tolerance model cases are held to under each dtype policy: a case's own (float32) atol and rtol are
 * raised to at least these. Token ids stay exact under every policy. Measured on the golden set's tiny-a and on the
 * scaled checkpoint of MixedPrecisionTest (docs/vision-model.md "Precision").
 */
record PolicyTolerance(String policy, Tolerance floor) {

	/** float32: the case's own tolerance. */
	static final PolicyTolerance FP32 = new PolicyTolerance("fp32", Tolerance.EXACT);

	/** float16 weights, float32 residual streams; tiny-a measured worst: logits 0.02 absolute, vision 0.0006. */
	static final PolicyTolerance AUTO_GPU = new PolicyTolerance("auto-gpu", new Tolerance(0.05, 0.02));

	/** everything float16; tiny-a measured worst: logits 0.024 absolute. */
	static final PolicyTolerance FP16 = new PolicyTolerance("fp16", new Tolerance(0.1, 0.05));

	static PolicyTolerance forDtype(ComputeType dtype) {
		return switch (dtype) {
			case FP32 -> FP32;
			case FP16 -> FP16;
			// auto is fp32 on a CPU and auto-gpu on a GPU; held to the looser of the two.
			case AUTO_GPU, AUTO -> AUTO_GPU;
		};
	}

	Tolerance widen(Tolerance own) {
		return new Tolerance(Math.max(own.atol(), floor.atol()), Math.max(own.rtol(), floor.rtol()));
	}

	/** e.g. {@code model cases held to at least atol 0.05 rtol 0.02 (auto-gpu); token ids exact}. */
	String describe() {
		if (floor.atol() == 0 && floor.rtol() == 0) {
			return "model cases held to each case's own tolerance (" + policy + "); token ids exact";
		}
		return "model cases held to at least atol " + floor.atol() + " rtol " + floor.rtol() + " (" + policy
				+ "); token ids exact";
	}

}
