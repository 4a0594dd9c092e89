package dev.sightline.tools.prompt;

/**
 * How much of a task's past the agent conversation keeps, trimmed so that what stays is a prefix the model server
 * can reuse (see {@link AgentConversation}).
 *
 * @param screenshots the newest screenshots kept as images (at least 1, the current one); an older one is replaced,
 * in place, by a one-line note, so everything before it stays the same prompt
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
