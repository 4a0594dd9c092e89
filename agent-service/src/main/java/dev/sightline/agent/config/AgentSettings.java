package dev.sightline.agent.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How tasks run: {@code sightline.agent.*}.
 *
 * @param concurrency tasks running at once (each on a virtual thread)
 * @param queueCapacity tasks waiting beyond those running; a full queue answers 429
 * @param defaultMaxSteps step limit of a task that names none
 * @param defaultTimeoutSeconds time limit of a task that names none
 * @param reasks how many times an unparseable model answer is re-asked with feedback before the task fails
 * @param historySteps previous steps kept as turns in the conversation: at least this many, dropped from the front as
 * a block once twice as many have gathered, so the prompt stays a cacheable prefix between drops
 * @param screenshotsInPrompt K: the newest K screenshots are always images (1 = only the current one); once 2K have
 * gathered the oldest K are replaced in place by a one-line note each
 * @param modelConcurrency model calls in flight at once across all tasks
 * @param settleMs wait after an action before the next screenshot, so pages can react
 * @param verifyAfterAct compare each screenshot with the one before the last action; when nothing changed, tell the
 * model (in the history) and record it in the step, so a click that did nothing is noticed
 */
@Validated
@ConfigurationProperties(AgentSettings.PREFIX)
public record AgentSettings(@DefaultValue("2") @Min(1) @Max(256) int concurrency,
		@DefaultValue("64") @Min(0) @Max(100_000) int queueCapacity,
		@DefaultValue("30") @Min(1) @Max(500) int defaultMaxSteps,
		@DefaultValue("600") @Min(1) @Max(86_400) int defaultTimeoutSeconds, @DefaultValue("2") @Min(0) @Max(10) int reasks,
		@DefaultValue("8") @Min(0) @Max(100) int historySteps, @DefaultValue("1") @Min(1) @Max(8) int screenshotsInPrompt,
		@DefaultValue("4") @Min(1) @Max(256) int modelConcurrency, @DefaultValue("150") @Min(0) @Max(10_000) int settleMs,
		@DefaultValue("true") boolean verifyAfterAct) {

	public static final String PREFIX = "sightline.agent";

}
