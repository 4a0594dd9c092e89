package dev.sightline.agent.result;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The turn that asks a finished task for its structured result: {@code sightline.result.*}.
 *
 * @param timeout how long asking for the result may take, re-asks included (default 2 minutes; at most 1 hour):
 * past it the generation is stopped and the task fails with a message naming this setting, instead of waiting for
 * the model call's own timeout
 */
@Validated
@ConfigurationProperties(ResultSettings.PREFIX)
public record ResultSettings(@DefaultValue("2m") Duration timeout) {

	public static final String PREFIX = "sightline.result";

	public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

	public static final ResultSettings DEFAULTS = new ResultSettings(Duration.ofMinutes(2));

	public ResultSettings {
		if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
			throw new IllegalArgumentException(PREFIX + ".timeout must be positive and at most " + MAX_TIMEOUT
					+ ", got " + timeout);
		}
	}

}
