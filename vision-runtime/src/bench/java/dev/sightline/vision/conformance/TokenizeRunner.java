package dev.sightline.vision.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * {@code tokenize}: encodes the case's text and compares ids exactly. The tokenizer named by the case is looked up
 * as {@code <golden>/tokenizers/<name>/tokenizer.json} first, then among the tokenizers bundled on the classpath.
 */
final class TokenizeRunner implements CaseRunner {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Map<String, QwenTokenizer> loaded = new ConcurrentHashMap<>();

	@Override
	public String kind() {
		return "tokenize";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws IOException {
		String name = c.tokenizer().orElse("qwen2.5");
		QwenTokenizer tokenizer = tokenizer(name, dir);
		if (tokenizer == null) {
			return CaseOutcome.skipped("tokenizer '" + name + "' not found in " + dir.resolve("tokenizers")
					+ " nor bundled");
		}
		JsonNode expected = JSON.readTree(Files.readString(c.file(dir, "expected")));
		String text = expected.has("text") ? expected.path("text").asText() : c.params().path("text").asText();
		long[] ids = JSON.convertValue(expected.path("ids"), long[].class);
		long[] actual = tokenizer.encode(text);
		return CaseOutcome.of(List.of(Tolerance.compareExact("ids", actual, ids)));
	}

	private QwenTokenizer tokenizer(String name, Path dir) {
		return loaded.computeIfAbsent(name + "@" + dir, key -> {
			for (String file : List.of("tokenizer.json", "tokenizer.json.gz")) {
				Path candidate = dir.resolve("tokenizers").resolve(name).resolve(file);
				if (Files.isRegularFile(candidate)) {
					return QwenTokenizer.load(candidate);
				}
			}
			// Qwen3 and Qwen3-VL use the Qwen2.5 tokenizer unchanged (QWEN3_VL spec §2.2; the files are identical).
			String bundled = "qwen3".equals(name) ? "qwen2.5" : name;
			String resource = "tokenizer/" + bundled + "/tokenizer.json.gz";
			if (QwenTokenizer.class.getClassLoader().getResource(resource) != null) {
				return QwenTokenizer.fromClasspath(resource);
			}
			return null;
		});
	}

}
