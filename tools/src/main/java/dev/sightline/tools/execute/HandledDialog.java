package dev.sightline.tools.execute;

/**
 * A JavaScript dialog ({@code alert}, {@code confirm}, {@code prompt}, {@code beforeunload}) that was answered: by
 * the model's {@code dialog} action, or by the executor so a task cannot hang (unanswered past its bound, or the
 * model acted elsewhere while it was open).
 *
 * @param type the dialog type as the browser names it
 * @param message the dialog's text
 * @param accepted whether it was accepted or dismissed
 * @param note who answered and why, e.g. "answered by the model", "dismissed: unanswered for 30000 ms"
 */
public record HandledDialog(String type, String message, boolean accepted, String note) {

	public static final String BY_THE_MODEL = "answered by the model";

	public HandledDialog(String type, String message, boolean accepted) {
		this(type, message, accepted, BY_THE_MODEL);
	}

}
