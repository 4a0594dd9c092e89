package dev.sightline.tools.execute;

/**
 * Something the page did during an action that the task record keeps: a popup or new tab that became the task's
 * current page, its closing (the opener is current again), a file chooser that received the task's files or was
 * dismissed.
 *
 * @param kind what happened
 * @param url the page it happened on (the popup's URL for {@link Kind#PAGE_OPENED} and {@link Kind#PAGE_CLOSED})
 * @param detail a sentence for the record, e.g. "2 files: invoice.pdf, photo.png"
 */
public record PageEvent(Kind kind, String url, String detail) {

	public enum Kind {

		/** A popup or new tab opened; screenshots and actions follow it. */
		PAGE_OPENED,
		/** The current page closed; its opener (or the last open page) is current again. */
		PAGE_CLOSED,
		/** A file chooser opened and received the task's files. */
		FILES_CHOSEN,
		/** A file chooser opened but the task has no files; nothing was chosen. */
		FILE_CHOOSER_DISMISSED

	}

}
