package dev.sightline.vision.qwen3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.sightline.vision.prompt.JinjaChatTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published Qwen3-VL chat template rendered by the runtime equals Python Jinja2's rendering in transformers'
 * environment (golden/qwen3_vl_templates/cases.json, made with jinja2 3.1.6): picture/video numbering across turns,
 * tools with Python-style {@code tojson}, tool calls and grouped tool responses, no default system turn.
 */
class Qwen3ChatTemplateTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Path DIR = Path.of("src/test/resources/golden/qwen3_vl_templates");

	@TestFactory
	Stream<DynamicTest> rendersLikeJinja2() throws IOException {
		JinjaChatTemplate template = new JinjaChatTemplate(Files.readString(DIR.resolve("chat_template.jinja")));
		JsonNode cases = JSON.readTree(Files.readString(DIR.resolve("cases.json"))).path("cases");
		assertThat(cases).hasSize(5);
		return java.util.stream.StreamSupport.stream(cases.spliterator(), false)
			.map(c -> DynamicTest.dynamicTest(c.path("name").asText(), () -> {
				List<Map<String, Object>> messages = JSON.convertValue(c.path("messages"), new TypeReference<>() {
				});
				Map<String, Object> extra = new HashMap<>();
				extra.put("add_vision_id", c.path("add_vision_id").asBoolean());
				if (c.hasNonNull("tools")) {
					extra.put("tools", JSON.convertValue(c.get("tools"), List.class));
				}
				assertThat(template.render(messages, c.path("add_generation_prompt").asBoolean(), extra))
					.isEqualTo(c.path("text").asText());
			}));
	}

}
