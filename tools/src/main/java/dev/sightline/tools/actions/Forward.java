package dev.sightline.tools.actions;

/** {@code forward} (Sightline's browser extension): go forward one entry in the tab's history. */
public record Forward() implements Action {

	public static final String NAME = "forward";

	@Override
	public String name() {
		return NAME;
	}

}
