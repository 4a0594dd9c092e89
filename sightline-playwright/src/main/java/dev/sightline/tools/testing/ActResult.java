package dev.sightline.tools.testing;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How an {@link SightlineAi#act} run ended successfully.
 *
 * @param actions what was done, one sentence per action, in order
 * @param steps model turns used
 * @param answer the model's answer when it ended with {@code answer}, else {@code null}
 */
public record ActResult(List<String> actions, int steps, @Nullable String answer) {

	public ActResult {
		actions = List.copyOf(actions);
	}

}
