package dev.sightline.tools.execute;

/**
 * A JavaScript dialog ({@code alert}, {@code confirm}, {@code prompt}, {@code beforeunload}) the executor answered
 * so the page would not block.
 *
 * @param type the dialog type as the browser names it
 * @param message the dialog's text
 * @param accepted whether it was accepted (alerts, confirms) or dismissed
 */
public record HandledDialog(String type, String message, boolean accepted) {
}
