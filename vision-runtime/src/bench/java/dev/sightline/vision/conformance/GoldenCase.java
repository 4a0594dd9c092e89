package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One case of a golden manifest (golden README "manifest.json").
 *
 * @param files role to path relative to the golden folder
 * @param params kind-specific parameters, kept as JSON
 */
public record GoldenCase(String id, String kind, Optional<String> model, Optional<String> tokenizer,
		Map<String, String> files, JsonNode params, Tolerance tolerance) {

	public GoldenCase {
		files = Map.copyOf(files);
	}

	public Path file(Path goldenDir, String role) {
		String relative = files.get(role);
		if (relative == null) {
			throw new IllegalArgumentException("case " + id + " has no file with role '" + role + "' (has "
					+ files.keySet() + ")");
		}
		return goldenDir.resolve(relative);
	}

	public boolean expectError() {
		return params.path("expect_error").asBoolean(false);
	}

	@Override
	public String toString() {
		return id + " (" + kind + ")";
	}

}
