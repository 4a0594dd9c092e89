package dev.sightline.tools.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import dev.sightline.tools.parse.JsonText;

/**
 * The JSON value inside a model's answer: models wrap it in {@code ```json} fences or a sentence, and small ones add
 * trailing commas or single quotes, which are read leniently.
 */
final class JsonAnswer {

	static final ObjectMapper LENIENT = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_SINGLE_QUOTES,
				JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_JAVA_COMMENTS)
		.build();

	private JsonAnswer() {
	}

	static JsonNode read(String answer) {
		try {
			return JsonText.parse(answer, LENIENT::readTree);
		}
		catch (JsonProcessingException notJson) {
			// Reported with the whole answer: the test's author sees what the model said.
			throw new SightlineException("the model's answer is not JSON: " + abbreviate(answer));
		}
	}

	static String abbreviate(String text) {
		return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
	}

}
