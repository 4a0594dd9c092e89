package dev.sightline.tools.actions;

/** {@code back} (Sightline's browser extension): go back one entry in the tab's history. */
public record Back() implements Action {

	public static final String NAME = "back";

	@Override
	public String name() {
		return NAME;
	}

}
