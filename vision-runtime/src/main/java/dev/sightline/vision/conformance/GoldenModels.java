package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenModel;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * The golden folder's models ({@code models/<name>/}), each loaded once per process in float32 on the CPU: the
 * golden tolerances assume float32 compute (golden README "Tolerances").
 */
final class GoldenModels {

	private static final Map<Path, QwenModel> LOADED = new ConcurrentHashMap<>();

	private GoldenModels() {
	}

	static QwenModel get(GoldenCase goldenCase, Path goldenDir) {
		String name = goldenCase.model()
			.orElseThrow(() -> new IllegalArgumentException("case " + goldenCase.id() + " names no model"));
		Path directory = goldenDir.resolve("models").resolve(name).toAbsolutePath().normalize();
		return LOADED.computeIfAbsent(directory, dir -> QwenModel.load(dir,
				LoadOptions.DEFAULTS.withComputeType(ComputeType.FP32).withDevice(new DevicePolicy("cpu"))));
	}

}
