package dev.sightline.tools.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;

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
		String text = answer.strip();
		int fence = text.indexOf("```");
		if (fence >= 0) {
			int bodyStart = text.indexOf('\n', fence);
			int end = text.indexOf("```", bodyStart < 0 ? fence + 3 : bodyStart);
			if (bodyStart >= 0 && end > bodyStart) {
				text = text.substring(bodyStart + 1, end).strip();
			}
		}
		try {
			return LENIENT.readTree(text);
		}
		catch (JsonProcessingException whole) {
			// A sentence around the value: take the outermost object or list.
			int start = firstOf(text, '{', '[');
			int end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
			if (start >= 0 && end > start) {
				try {
					return LENIENT.readTree(text.substring(start, end + 1));
				}
				catch (JsonProcessingException ignored) {
					// Reported below with the whole answer.
				}
			}
			throw new SightlineException("the model's answer is not JSON: " + abbreviate(answer));
		}
	}

	static String abbreviate(String text) {
		return text.length() <= 300 ? text : text.substring(0, 300) + "... (" + text.length() + " characters)";
	}

	private static int firstOf(String text, char a, char b) {
		int i = text.indexOf(a);
		int j = text.indexOf(b);
		return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
	}

}
