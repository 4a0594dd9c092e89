package dev.sightline.tools.prompt;

/**
 * How much of a task's past the agent conversation keeps, trimmed so that what stays is a prefix the model server
 * can reuse (see {@link AgentConversation}).
 *
 * @param screenshots K: the newest K screenshots are always images (at least 1, the current one); once 2K have
 * gathered the oldest K are replaced, in place, by a one-line note each, so everything before them stays the same
 * prompt and the next K - 1 steps only append
 * @param steps previous steps kept as turns: at least this many; the oldest are dropped as a block once twice as many
 * have gathered, so the prompt is append-only between drops (0: only the current step)
 */
public record HistoryWindow(int screenshots, int steps) {

	/** One screenshot (the current one), 8 previous steps: the agent's documented defaults. */
	public static final HistoryWindow DEFAULT = new HistoryWindow(1, 8);

	public HistoryWindow {
		if (screenshots < 1) {
			throw new IllegalArgumentException("a conversation keeps at least the current screenshot, got " + screenshots);
		}
		if (steps < 0) {
			throw new IllegalArgumentException("steps kept must be >= 0, got " + steps);
		}
	}

}
