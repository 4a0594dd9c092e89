package dev.sightline.agent.task;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps as JSON (the API and the Redis store): token counts round-trip, and steps stored before them still read. */
class StepJsonTest {

	final JsonMapper json = JsonMapper.builder().findAndAddModules().build();

	@Test
	void roundTripsTokenCounts() {
		Step step = new Step("t", 1, Instant.parse("2026-01-01T00:00:00Z"), "raw", Map.of("action", "left_click"), null,
				StepTimings.NONE, "clicked", 10, 1234, 17);

		Step back = json.readValue(json.writeValueAsString(step), Step.class);

		assertThat(back).isEqualTo(step);
	}

	@Test
	void readsAStepRecordedBeforeTokensWereCounted() {
		String old = """
				{"taskId":"t","n":2,"startedAt":"2026-01-01T00:00:00Z","rawOutput":"raw","action":null,
				 "coordinates":null,"timings":{"screenshotMs":1,"preprocessMs":2,"promptMs":3,"modelMs":4,"parseMs":5,
				 "executeMs":6,"recordMs":7},"outcome":"ok","screenshotBytes":0}""";

		Step step = json.readValue(old, Step.class);

		assertThat(step.n()).isEqualTo(2);
		assertThat(step.promptTokens()).isZero();
		assertThat(step.completionTokens()).isZero();
	}

}
