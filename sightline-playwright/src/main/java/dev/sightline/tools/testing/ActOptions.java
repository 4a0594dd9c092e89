package dev.sightline.tools.testing;

/**
 * Options of {@link SightlineAi#act}.
 *
 * @param maxSteps model turns before the run fails; default 10
 */
public record ActOptions(int maxSteps) {

	public static final int MAX_STEPS_LIMIT = 100;

	public ActOptions {
		if (maxSteps < 1 || maxSteps > MAX_STEPS_LIMIT) {
			throw new IllegalArgumentException("maxSteps must be within [1, " + MAX_STEPS_LIMIT + "], got " + maxSteps);
		}
	}

	public static ActOptions defaults() {
		return new ActOptions(10);
	}

	public ActOptions withMaxSteps(int value) {
		return new ActOptions(value);
	}

}
