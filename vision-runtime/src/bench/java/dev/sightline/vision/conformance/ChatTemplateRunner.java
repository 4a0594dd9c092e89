package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.prompt.JinjaChatTemplate;
import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * {@code chat_template}: the case's messages through the case's Jinja template (the runtime's
 * {@link JinjaChatTemplate}: trim_blocks, lstrip_blocks), then the model's tokenizer; text and ids exact.
 */
final class ChatTemplateRunner implements CaseRunner {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Override
	public String kind() {
		return "chat_template";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		JsonNode expected = JSON.readTree(Files.readString(c.file(dir, "expected")));
		JinjaChatTemplate template = new JinjaChatTemplate(Files.readString(c.file(dir, "template")));
		List<Map<String, Object>> messages = JSON.convertValue(expected.path("messages"), new TypeReference<>() {
		});
		boolean addVisionId = expected.path("add_vision_id").asBoolean(c.params().path("add_vision_id").asBoolean());
		Map<String, Object> extra = new java.util.HashMap<>();
		extra.put("add_vision_id", addVisionId);
		if (expected.hasNonNull("tools")) {
			extra.put("tools", JSON.convertValue(expected.get("tools"), List.class));
		}
		String text = template.render(messages, expected.path("add_generation_prompt").asBoolean(true), extra);
		long[] ids;
		try (QwenTokenizer tokenizer = QwenTokenizer
			.load(Qwen3GoldenModels.directory(c, dir).resolve("tokenizer.json"))) {
			ids = tokenizer.encode(text);
		}
		return CaseOutcome.of(List.of(
				text.equals(expected.path("text").asText()) ? java.util.Optional.empty()
						: java.util.Optional.of("text differs: got " + JSON.writeValueAsString(text) + ", expected "
								+ JSON.writeValueAsString(expected.path("text").asText())),
				Tolerance.compareExact("ids", ids, JSON.convertValue(expected.path("ids"), long[].class))));
	}

}
