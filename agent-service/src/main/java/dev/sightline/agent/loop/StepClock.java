package dev.sightline.agent.loop;

import dev.sightline.agent.task.StepTimings;

/**
 * Where one step's time went, phase by phase: each {@link #lap} charges the time since the previous lap to a phase
 * (a phase may be charged several times, as model and parse are on re-asks); a person's approval wait is taken out of
 * the execute phase, as it is not the loop's cost.
 */
final class StepClock {

	enum Phase {

		SCREENSHOT, PREPROCESS, PROMPT, MODEL, PARSE, EXECUTE, RECORD

	}

	private final double[] ms = new double[Phase.values().length];

	private long lapNanos = System.nanoTime();

	/** Charges the time since the last lap (or the start) to {@code phase}. */
	void lap(Phase phase) {
		long now = System.nanoTime();
		ms[phase.ordinal()] += (now - lapNanos) / 1e6;
		lapNanos = now;
	}

	/** Starts a new lap without charging anyone (time spent on what no phase counts). */
	void skip() {
		lapNanos = System.nanoTime();
	}

	/** Takes {@code nanos} (a wait for a person) out of {@code phase}. */
	void exclude(Phase phase, long nanos) {
		ms[phase.ordinal()] -= nanos / 1e6;
	}

	double ms(Phase phase) {
		return ms[phase.ordinal()];
	}

	StepTimings timings() {
		return new StepTimings(ms(Phase.SCREENSHOT), ms(Phase.PREPROCESS), ms(Phase.PROMPT), ms(Phase.MODEL),
				ms(Phase.PARSE), ms(Phase.EXECUTE), ms(Phase.RECORD));
	}

}
