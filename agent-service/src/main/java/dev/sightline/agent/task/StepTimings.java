package dev.sightline.agent.task;

/** Milliseconds one step spent in each phase of the loop. */
public record StepTimings(double screenshotMs, double preprocessMs, double promptMs, double modelMs, double parseMs,
		double executeMs, double recordMs) {

	public static final StepTimings NONE = new StepTimings(0, 0, 0, 0, 0, 0, 0);

	/** Everything but model time: what the loop itself costs. */
	public double overheadMs() {
		return screenshotMs + preprocessMs + promptMs + parseMs + executeMs + recordMs;
	}

}
