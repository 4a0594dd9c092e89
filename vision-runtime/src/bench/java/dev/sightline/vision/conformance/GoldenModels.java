package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenModel;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * The golden folder's models ({@code models/<name>/}), each loaded once per process and dtype policy, by default in
 * float32 on the CPU: the golden tolerances assume float32 compute (golden README "Tolerances"). Under another
 * policy ({@code --dtype}) each model case's tolerance is raised to that policy's floor ({@link PolicyTolerance}).
 */
final class GoldenModels {

	private static final Map<String, QwenModel> LOADED = new ConcurrentHashMap<>();

	private static volatile ComputeType dtype = ComputeType.FP32;

	private static volatile DevicePolicy device = new DevicePolicy("cpu");

	private GoldenModels() {
	}

	/** The dtype policy and device every later model case loads its model with. */
	static void use(ComputeType dtypeValue, DevicePolicy deviceValue) {
		dtype = dtypeValue;
		device = deviceValue;
	}

	static ComputeType dtype() {
		return dtype;
	}

	static DevicePolicy device() {
		return device;
	}

	/** The case's own tolerance, raised to the floor of the dtype policy in use. */
	static Tolerance tolerance(GoldenCase goldenCase) {
		return PolicyTolerance.forDtype(dtype).widen(goldenCase.tolerance());
	}

	static QwenModel get(GoldenCase goldenCase, Path goldenDir) {
		String name = goldenCase.model()
			.orElseThrow(() -> new IllegalArgumentException("case " + goldenCase.id() + " names no model"));
		Path directory = goldenDir.resolve("models").resolve(name).toAbsolutePath().normalize();
		ComputeType type = dtype;
		DevicePolicy on = device;
		return LOADED.computeIfAbsent(directory + " " + type + " " + on.value(), key -> QwenModel.load(directory,
				LoadOptions.DEFAULTS.withComputeType(type).withDevice(on)));
	}

}
