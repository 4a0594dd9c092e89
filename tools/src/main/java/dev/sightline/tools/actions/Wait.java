package dev.sightline.tools.actions;

/** {@code wait}: let the screen settle for a while (the model gives seconds in {@code time}). */
public record Wait(long durationMs) implements Action {

	public static final String NAME = "wait";

	/** One step never waits longer; the task's own timeout bounds the rest. */
	public static final long MAX_DURATION_MS = 60_000;

	public Wait {
		if (durationMs < 0 || durationMs > MAX_DURATION_MS) {
			throw new InvalidActionException(
					"wait must be within [0, " + MAX_DURATION_MS + "] ms, got " + durationMs + " ms");
		}
	}

	@Override
	public String name() {
		return NAME;
	}

}
