package dev.sightline.tools.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonTextTest {

	private final ObjectMapper json = new ObjectMapper();

	private JsonNode parse(String answer) throws JsonProcessingException {
		return JsonText.parse(answer, json::readTree);
	}

	@Test
	void readsAnExactAnswerAndAFencedOne() throws JsonProcessingException {
		assertThat(parse(" {\"total\": 3} ").get("total").asInt()).isEqualTo(3);
		assertThat(parse("Here it is:\n```json\n[1, 2]\n```\nDone.").size()).isEqualTo(2);
	}

	@Test
	void readsTheValueInsideASentence() throws JsonProcessingException {
		assertThat(parse("The result is {\"ok\": true} as asked.").get("ok").asBoolean()).isTrue();
	}

	@Test
	void reportsTheValuesOwnFailureWhenTheSpanInsideASentenceIsBroken() {
		// The span's error (a missing value), not the sentence's ("Unrecognized token 'The'").
		assertThatThrownBy(() -> parse("The result is {\"ok\": } as asked."))
			.isInstanceOf(JsonProcessingException.class)
			.hasMessageNotContaining("'The'");
	}

	@Test
	void reportsTheWholeTextsFailureWhenThereIsNoSpan() {
		assertThatThrownBy(() -> parse("no json here")).isInstanceOf(JsonProcessingException.class)
			.hasMessageContaining("'no'");
	}

}
