package dev.sightline.vision.qwen3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;
import dev.sightline.vision.weights.SafeTensorsFile;
import dev.sightline.vision.weights.SafeTensorsWriter;

/** The Qwen3-VL golden tiny-a checkpoint (a test resource) and copies of it in other checkpoint shapes. */
final class Qwen3TinyCheckpoint {

	static final Path GOLDEN = Path.of("src/test/resources/golden/qwen3_vl");

	static final Path TINY_A = GOLDEN.resolve("models/tiny-a");

	static final ObjectMapper JSON = new ObjectMapper();

	static final LoadOptions CPU_FP32 = LoadOptions.DEFAULTS.withComputeType(ComputeType.FP32)
		.withDevice(new DevicePolicy("cpu"));

	private Qwen3TinyCheckpoint() {
	}

	/** Everything but the weights. */
	static void copySideFiles(Path target) throws IOException {
		try (var files = Files.list(TINY_A)) {
			for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".safetensors")).toList()) {
				Files.copy(file, target.resolve(file.getFileName()));
			}
		}
	}

	static ObjectNode config() throws IOException {
		return (ObjectNode) JSON.readTree(TINY_A.resolve("config.json").toFile());
	}

	static void writeConfig(Path target, ObjectNode config) throws IOException {
		JSON.writerWithDefaultPrettyPrinter().writeValue(target.resolve("config.json").toFile(), config);
	}

	/** tiny-a's tensors under {@code rename}d keys, dealt round-robin into {@code shards} files plus an index. */
	static void writeWeights(Path target, int shards, UnaryOperator<String> rename,
			List<SafeTensorsWriter.Tensor> extra) throws IOException {
		List<SafeTensorsWriter> writers = new ArrayList<>();
		for (int i = 0; i < shards; i++) {
			writers.add(new SafeTensorsWriter());
		}
		Map<String, String> weightMap = new LinkedHashMap<>();
		try (SafeTensorsFile source = SafeTensorsFile.open(TINY_A.resolve("model.safetensors"))) {
			int i = 0;
			for (String name : source.tensors().keySet()) {
				int shard = i++ % shards;
				writers.get(shard).copy(source, name, rename.apply(name));
				weightMap.put(rename.apply(name), shardName(shard, shards));
			}
		}
		for (SafeTensorsWriter.Tensor tensor : extra) {
			writers.get(shards - 1).add(tensor);
			weightMap.put(tensor.name(), shardName(shards - 1, shards));
		}
		for (int i = 0; i < shards; i++) {
			writers.get(i).write(target.resolve(shardName(i, shards)));
		}
		if (shards > 1) {
			JSON.writeValue(target.resolve("model.safetensors.index.json").toFile(),
					Map.of("metadata", Map.of("total_size", 0), "weight_map", weightMap));
		}
	}

	static String shardName(int shard, int shards) {
		return shards == 1 ? "model.safetensors"
				: String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
	}

}
