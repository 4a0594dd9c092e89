package dev.sightline.vision.qwen;

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

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.weights.SafeTensorsFile;
import dev.sightline.vision.weights.SafeTensorsWriter;

/** The golden tiny-a checkpoint, and rewritten copies of it for layout and error tests. */
final class TinyCheckpoints {

	static final Path GOLDEN = Path.of("src/test/resources/golden/qwen2_5_vl");

	static final Path TINY_A = GOLDEN.resolve("models/tiny-a");

	static final ObjectMapper JSON = new ObjectMapper();

	private TinyCheckpoints() {
	}

	/** Copies every non-weight file of tiny-a into {@code target}. */
	static void copySideFiles(Path target) throws IOException {
		Files.createDirectories(target);
		try (var files = Files.list(TINY_A)) {
			for (Path file : files.toList()) {
				if (!file.getFileName().toString().endsWith(".safetensors")) {
					Files.copy(file, target.resolve(file.getFileName()));
				}
			}
		}
	}

	static ObjectNode config() throws IOException {
		return (ObjectNode) JSON.readTree(TINY_A.resolve("config.json").toFile());
	}

	static void writeConfig(Path target, ObjectNode config) throws IOException {
		JSON.writerWithDefaultPrettyPrinter().writeValue(target.resolve("config.json").toFile(), config);
	}

	/**
	 * Writes tiny-a's tensors into {@code shards} files named like the Hub's, with an index, each name passed through
	 * {@code rename}; {@code extra} tensors are added to the last shard.
	 */
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
			Map<String, Object> index = Map.of("metadata", Map.of("total_size", 0), "weight_map", weightMap);
			JSON.writeValue(target.resolve("model.safetensors.index.json").toFile(), index);
		}
	}

	static String shardName(int shard, int shards) {
		return shards == 1 ? "model.safetensors"
				: String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
	}

	/** Inputs of a golden forward case. */
	static ModelInputs inputs(String caseDir) {
		try (SafeTensorsFile file = SafeTensorsFile.open(GOLDEN.resolve("cases").resolve(caseDir)
			.resolve("inputs.safetensors"))) {
			List<GridThw> grids = null;
			if (file.contains("image_grid_thw")) {
				long[] g = file.longs("image_grid_thw");
				grids = List.of(new GridThw((int) g[0], (int) g[1], (int) g[2]));
			}
			float[] pixels = file.contains("pixel_values") ? file.floats("pixel_values") : null;
			return new ModelInputs(file.longs("input_ids"), pixels, grids, null, null, null);
		}
	}

	/** Logits of every position of {@code inputs}. */
	static float[] forward(QwenModel model, ModelInputs inputs) {
		try (QwenSequence sequence = model.newSequence(inputs.inputIds().length)) {
			return sequence.prefill(inputs, true);
		}
	}

}
