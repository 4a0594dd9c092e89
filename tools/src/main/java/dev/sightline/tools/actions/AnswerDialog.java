package dev.sightline.tools.actions;

import org.jspecify.annotations.Nullable;

/**
 * {@code dialog} (Sightline's browser extension): answer the JavaScript dialog ({@code alert}, {@code confirm},
 * {@code prompt}, {@code beforeunload}) the page has open. Chromium draws no dialog into screenshots, so the executor
 * annotates them with the open dialog's type and message; the page waits until this action answers it.
 *
 * @param accept press OK (accept) rather than Cancel (dismiss)
 * @param text what to enter into a {@code prompt} before accepting; {@code null} keeps its default
 */
public record AnswerDialog(boolean accept, @Nullable String text) implements Action {

	public static final String NAME = "dialog";

	/** A prompt's answer is one line of text a person types; the page gets at most this many characters. */
	public static final int MAX_TEXT_LENGTH = 4_096;

	public AnswerDialog {
		if (text != null && text.length() > MAX_TEXT_LENGTH) {
			throw new InvalidActionException("dialog text has " + text.length()
					+ " characters, more than the limit of " + MAX_TEXT_LENGTH);
		}
		if (text != null && !accept) {
			// A dismissed prompt returns null to the page whatever was typed; a text there is a model mistake.
			throw new InvalidActionException("dialog text is only used when accepting; dismiss takes no text");
		}
	}

	/** The wire name of the button: {@code accept} or {@code dismiss}. */
	public String button() {
		return accept ? "accept" : "dismiss";
	}

	@Override
	public String name() {
		return NAME;
	}

}
