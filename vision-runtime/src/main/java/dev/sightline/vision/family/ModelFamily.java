package dev.sightline.vision.family;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.weights.CheckpointException;

/**
 * The model architectures this runtime implements, told apart by a checkpoint's {@code config.json}
 * ({@code model_type}, else {@code architectures}). UI-TARS-1.5 checkpoints are Qwen2.5-VL ones.
 */
public enum ModelFamily {

	/** Qwen2.5-VL (and fine-tunes of it such as UI-TARS-1.5): {@code model_type} {@code qwen2_5_vl}. */
	QWEN2_5_VL("qwen2.5-vl", "qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration"),

	/** Qwen3-VL dense (2B/4B/8B): {@code model_type} {@code qwen3_vl}. */
	QWEN3_VL("qwen3-vl", "qwen3_vl", "Qwen3VLForConditionalGeneration");

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String cliName;

	private final String modelType;

	private final String architecture;

	ModelFamily(String cliName, String modelType, String architecture) {
		this.cliName = cliName;
		this.modelType = modelType;
		this.architecture = architecture;
	}

	/** The name used on the command line and in settings ({@code qwen2.5-vl}, {@code qwen3-vl}). */
	public String cliName() {
		return cliName;
	}

	/** {@code config.json}'s {@code model_type}. */
	public String modelType() {
		return modelType;
	}

	/** From a command-line name ({@code qwen3-vl}) or a {@code model_type} ({@code qwen3_vl}), case-insensitive. */
	public static ModelFamily fromName(String name) {
		String wanted = name.trim().toLowerCase(Locale.ROOT);
		for (ModelFamily family : values()) {
			if (family.cliName.equals(wanted) || family.modelType.equals(wanted)) {
				return family;
			}
		}
		throw new IllegalArgumentException("unknown model family '" + name + "'; known: " + names());
	}

	/** The family of the checkpoint in {@code directory}, from its {@code config.json}. */
	public static ModelFamily detect(Path directory) {
		Path file = directory.resolve("config.json");
		try {
			return detect(JSON.readTree(Files.readString(file)), file.toString());
		}
		catch (NoSuchFileException e) {
			throw new CheckpointException("checkpoint has no config.json at " + file);
		}
		catch (IOException e) {
			throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	static ModelFamily detect(JsonNode config, String source) {
		String modelType = config.path("model_type").asText("");
		for (ModelFamily family : values()) {
			if (family.modelType.equals(modelType)) {
				return family;
			}
		}
		for (JsonNode architecture : config.path("architectures")) {
			for (ModelFamily family : values()) {
				if (family.architecture.equals(architecture.asText())) {
					return family;
				}
			}
		}
		throw new CheckpointException(source + " names model_type '" + modelType + "' and architectures "
				+ config.path("architectures") + ", which this runtime does not implement; supported model_type "
				+ "values: " + Arrays.stream(values()).map(f -> f.modelType).collect(Collectors.joining(", ")));
	}

	static String names() {
		return Arrays.stream(values()).map(f -> f.cliName).collect(Collectors.joining(", "));
	}

}
