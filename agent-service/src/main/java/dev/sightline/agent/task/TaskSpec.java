package dev.sightline.agent.task;

import java.util.List;

import org.jspecify.annotations.Nullable;


/**
 * A task's request with the server defaults applied and secret values removed: what the store keeps.
 *
 * @param secretNames names the goal may refer to as {@code {{name}}}; their values are held in memory only
 * @param temperature 0 for greedy
 * @param output the structured result asked for, or null
 * @param webhook where the task's events are POSTed, or null (the tenant's default, if any)
 */
public record TaskSpec(String goal, TaskTarget target, int maxSteps, int timeoutSeconds, double temperature,
		@Nullable Integer maxNewTokens, List<String> secretNames, List<String> allowedHosts,
		@Nullable OutputRequest output, @Nullable WebhookRequest webhook) {

	public TaskSpec {
		secretNames = List.copyOf(secretNames);
		allowedHosts = List.copyOf(allowedHosts);
	}

	/** A spec without a structured result. */
	public TaskSpec(String goal, TaskTarget target, int maxSteps, int timeoutSeconds, double temperature,
			@Nullable Integer maxNewTokens, List<String> secretNames, List<String> allowedHosts) {
		this(goal, target, maxSteps, timeoutSeconds, temperature, maxNewTokens, secretNames, allowedHosts, null, null);
	}

}
