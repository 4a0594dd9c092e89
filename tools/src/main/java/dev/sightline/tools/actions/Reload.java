package dev.sightline.tools.actions;

/** {@code reload} (Sightline's browser extension): reload the current page. */
public record Reload() implements Action {

	public static final String NAME = "reload";

	@Override
	public String name() {
		return NAME;
	}

}
