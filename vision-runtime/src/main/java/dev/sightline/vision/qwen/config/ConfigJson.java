package dev.sightline.vision.qwen.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.weights.CheckpointException;

/** Reading and checking a checkpoint's {@code config.json}, the same for every family. */
public final class ConfigJson {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ConfigJson() {
	}

	/** The parsed file; a missing or unreadable one is a {@link CheckpointException} naming it. */
	public static JsonNode read(Path configJson) {
		try {
			return JSON.readTree(Files.readString(configJson));
		}
		catch (NoSuchFileException e) {
			throw new CheckpointException("checkpoint has no " + configJson.getFileName() + " at " + configJson);
		}
		catch (IOException e) {
			throw new CheckpointException("cannot read " + configJson + ": " + e.getMessage(), e);
		}
	}

	/** Refuses a size or count below 1, naming the key. */
	public static void positive(String key, int value) {
		if (value < 1) {
			throw new CheckpointException("config.json: " + key + " must be >= 1, got " + value);
		}
	}

}
