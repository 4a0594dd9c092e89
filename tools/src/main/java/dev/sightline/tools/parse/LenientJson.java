package dev.sightline.tools.parse;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson configured to read JSON as language models write it: single quotes, trailing commas, unquoted names,
 * comments, {@code +1}, {@code .5}. Nesting is capped far below Jackson's default so a hostile output cannot cost
 * stack depth.
 */
final class LenientJson {

	static final int MAX_NESTING_DEPTH = 32;

	private static final JsonMapper MAPPER = build();

	private LenientJson() {
	}

	private static JsonMapper build() {
		JsonMapper mapper = JsonMapper.builder()
			.enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_TRAILING_COMMA,
					JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_JAVA_COMMENTS,
					JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
					JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
					JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
					JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
			.build();
		mapper.getFactory()
			.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
		return mapper;
	}

	static JsonNode read(String json) throws JsonProcessingException {
		try {
			return MAPPER.readTree(json);
		}
		catch (NumberFormatException ex) {
			// Jackson's lenient number features can accept a token ("." ) that Double.parseDouble then refuses.
			throw new JsonParseException(null, "not a number: " + ex.getMessage(), ex);
		}
	}

}
