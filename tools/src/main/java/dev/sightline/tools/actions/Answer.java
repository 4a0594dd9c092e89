package dev.sightline.tools.actions;

/** {@code answer}: the model ends the task with a textual answer (question-style goals). */
public record Answer(String text) implements Action {

	public static final String NAME = "answer";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public boolean endsTask() {
		return true;
	}

}
