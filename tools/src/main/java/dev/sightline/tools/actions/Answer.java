package dev.sightline.tools.actions;

import java.util.function.UnaryOperator;

/** {@code answer}: the model ends the task with a textual answer (question-style goals). */
public record Answer(String text) implements Action {

	public static final String NAME = "answer";

	@Override
	public Answer mapText(UnaryOperator<String> mapping) {
		return new Answer(mapping.apply(text));
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
