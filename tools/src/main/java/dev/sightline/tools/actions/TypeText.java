package dev.sightline.tools.actions;

import java.util.function.UnaryOperator;

/** {@code type}: type a string on the keyboard where the focus is. */
public record TypeText(String text) implements Action {

	public static final String NAME = "type";

	/** Bounds what one step may type; a longer text is a runaway generation, not an input. */
	public static final int MAX_LENGTH = 10_000;

	public TypeText {
		if (text.isEmpty()) {
			throw new InvalidActionException("type needs a non-empty text");
		}
		if (text.length() > MAX_LENGTH) {
			throw new InvalidActionException(
					"type text has " + text.length() + " characters, more than the limit of " + MAX_LENGTH);
		}
	}

	@Override
	public TypeText mapText(UnaryOperator<String> mapping) {
		return new TypeText(mapping.apply(text));
	}

	@Override
	public String name() {
		return NAME;
	}

}
