package dev.sightline.tools.actions;

import java.util.Locale;

/** {@code terminate}: the model declares the task done, successfully or not. */
public record Terminate(Status status) implements Action {

	public static final String NAME = "terminate";

	/** The {@code status} enum of the schema. */
	public enum Status {

		SUCCESS, FAILURE;

		/** As the model writes it: {@code success} or {@code failure}. */
		public String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public boolean endsTask() {
		return true;
	}

}
