package dev.sightline.vision.qwen.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.weights.CheckpointException;

/**
 * A checkpoint's {@code generation_config.json} (spec §8.3): the ids that end a completion and the sampling
 * defaults of the published model.
 *
 * @param eosTokenIds every id that stops generation (published: {@code <|im_end|>}, {@code <|endoftext|>})
 */
public record GenerationConfig(List<Integer> eosTokenIds, boolean doSample, double temperature, double topP, int topK,
		double repetitionPenalty) {

	private static final ObjectMapper JSON = new ObjectMapper();

	public GenerationConfig {
		eosTokenIds = List.copyOf(eosTokenIds);
	}

	/** Reads the file, or falls back to the model config's {@code eos_token_id} when the checkpoint has none. */
	public static GenerationConfig read(Path checkpointDir) {
		Path file = checkpointDir.resolve("generation_config.json");
		Path config = checkpointDir.resolve("config.json");
		try {
			JsonNode root = Files.exists(file) ? JSON.readTree(Files.readString(file))
					: Files.exists(config) ? JSON.readTree(Files.readString(config)) : JSON.createObjectNode();
			return parse(root);
		}
		catch (IOException e) {
			throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	public static GenerationConfig parse(JsonNode root) {
		List<Integer> eos = new ArrayList<>();
		JsonNode node = root.get("eos_token_id");
		if (node != null && node.isArray()) {
			node.forEach(id -> eos.add(id.asInt()));
		}
		else if (node != null && node.canConvertToInt()) {
			eos.add(node.asInt());
		}
		return new GenerationConfig(eos, root.path("do_sample").asBoolean(false),
				root.path("temperature").asDouble(1.0), root.path("top_p").asDouble(1.0), root.path("top_k").asInt(0),
				root.path("repetition_penalty").asDouble(1.0));
	}

}
