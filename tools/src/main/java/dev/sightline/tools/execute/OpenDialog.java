package dev.sightline.tools.execute;

/**
 * A JavaScript dialog the page has open and waits on: the model sees it (an annotation on the screenshot, since
 * Chromium draws no native dialog into one) and answers it with the {@code dialog} action.
 *
 * @param type {@code alert}, {@code confirm}, {@code prompt} or {@code beforeunload}, as the browser names it
 * @param message the dialog's text
 * @param defaultValue a prompt's prefilled answer; empty for the others
 */
public record OpenDialog(String type, String message, String defaultValue) {

	/** One line for logs, observations and the screenshot annotation. */
	public String describe() {
		return "JavaScript " + type + " dialog: \"" + message + "\""
				+ (defaultValue.isEmpty() ? "" : " (default answer \"" + defaultValue + "\")");
	}

}
