package dev.sightline.agent.result;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultSettingsTest {

	@Test
	void theTimeoutMustBePositiveAndAtMostAnHourNamingTheSetting() {
		assertThat(ResultSettings.DEFAULTS.timeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(new ResultSettings(Duration.ofHours(1)).timeout()).isEqualTo(Duration.ofHours(1));
		for (Duration bad : new Duration[] { Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(61) }) {
			assertThatThrownBy(() -> new ResultSettings(bad)).as("%s", bad)
				.hasMessage("sightline.result.timeout must be positive and at most PT1H, got " + bad);
		}
	}

}
