package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * A Qwen3-VL golden folder's models, each loaded once per process and dtype policy: the policy and device in use
 * for every family ({@link GoldenModels#use}), float32 on the CPU by default (golden "Tolerances").
 */
final class Qwen3GoldenModels {

	private static final Map<String, Qwen3Model> LOADED = new ConcurrentHashMap<>();

	private Qwen3GoldenModels() {
	}

	static Qwen3Model get(GoldenCase goldenCase, Path goldenDir) {
		Path directory = directory(goldenCase, goldenDir);
		ComputeType type = GoldenModels.dtype();
		DevicePolicy on = GoldenModels.device();
		return LOADED.computeIfAbsent(directory + " " + type + " " + on.value(), key -> Qwen3Model.load(directory,
				LoadOptions.DEFAULTS.withComputeType(type).withDevice(on)));
	}

	static Path directory(GoldenCase goldenCase, Path goldenDir) {
		String name = goldenCase.model()
			.orElseThrow(() -> new IllegalArgumentException("case " + goldenCase.id() + " names no model"));
		return goldenDir.resolve("models").resolve(name).toAbsolutePath().normalize();
	}

}
