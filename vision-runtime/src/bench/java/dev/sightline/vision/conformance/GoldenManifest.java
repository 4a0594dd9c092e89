package dev.sightline.vision.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.VisionRuntimeException;

/** A golden folder's {@code manifest.json}: format 1, a list of cases with files relative to the folder. */
public record GoldenManifest(Path dir, List<GoldenCase> cases) {

	private static final ObjectMapper JSON = new ObjectMapper();

	public GoldenManifest {
		cases = List.copyOf(cases);
	}

	public static GoldenManifest read(Path dir) {
		Path manifest = dir.resolve("manifest.json");
		JsonNode root;
		try {
			root = JSON.readTree(Files.readString(manifest));
		}
		catch (IOException e) {
			throw new VisionRuntimeException("cannot read golden manifest " + manifest + ": " + e.getMessage(), e);
		}
		int format = root.path("format").asInt(-1);
		if (format != 1) {
			throw new VisionRuntimeException(manifest + " has format " + format + "; this runner reads format 1");
		}
		List<GoldenCase> cases = new ArrayList<>();
		for (JsonNode node : root.path("cases")) {
			Map<String, String> files = new LinkedHashMap<>();
			node.path("files").fields().forEachRemaining(f -> files.put(f.getKey(), f.getValue().asText()));
			JsonNode tolerance = node.path("tolerance");
			cases.add(new GoldenCase(node.path("id").asText(), node.path("kind").asText(), text(node, "model"),
					text(node, "tokenizer"), files, node.path("params"),
					new Tolerance(tolerance.path("atol").asDouble(0), tolerance.path("rtol").asDouble(0))));
		}
		return new GoldenManifest(dir, cases);
	}

	private static Optional<String> text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
	}

}
