package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/** A Qwen3-VL golden folder's models, each loaded once per process in float32 on the CPU (golden "Tolerances"). */
final class Qwen3GoldenModels {

	private static final Map<Path, Qwen3Model> LOADED = new ConcurrentHashMap<>();

	private Qwen3GoldenModels() {
	}

	static Qwen3Model get(GoldenCase goldenCase, Path goldenDir) {
		return LOADED.computeIfAbsent(directory(goldenCase, goldenDir), dir -> Qwen3Model.load(dir,
				LoadOptions.DEFAULTS.withComputeType(ComputeType.FP32).withDevice(new DevicePolicy("cpu"))));
	}

	static Path directory(GoldenCase goldenCase, Path goldenDir) {
		String name = goldenCase.model()
			.orElseThrow(() -> new IllegalArgumentException("case " + goldenCase.id() + " names no model"));
		return goldenDir.resolve("models").resolve(name).toAbsolutePath().normalize();
	}

}
