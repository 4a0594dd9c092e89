package dev.sightline.tools.execute;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.ScreenPoint;

/**
 * What executing one action did, for the task record.
 *
 * @param action the action performed
 * @param performed a human sentence, e.g. "left click at (640.00, 360.00)"
 * @param screenPoint where the pointer acted, in screen pixels, or {@code null} for keyboard and navigation actions
 * @param durationMs time from the start of the action until its effect settled (or the wait bound passed)
 * @param urlAfter the page URL afterwards (browser only)
 * @param navigated whether the main page navigated (or a popup took over) because of the action
 * @param downloads files the page downloaded during the action
 * @param dialogs JavaScript dialogs answered during the action (by the model's {@code dialog} action, or by the
 * executor with a note)
 * @param pages popups and tabs opened or closed, file choosers served, in order
 * @param openDialog the JavaScript dialog the page has open after the action, waiting for the model's answer;
 * {@code null} when none
 */
public record ActionOutcome(Action action, String performed, @Nullable ScreenPoint screenPoint, long durationMs,
		@Nullable String urlAfter, boolean navigated, List<Download> downloads, List<HandledDialog> dialogs,
		List<PageEvent> pages, @Nullable OpenDialog openDialog) {

	public ActionOutcome {
		downloads = List.copyOf(downloads);
		dialogs = List.copyOf(dialogs);
		pages = List.copyOf(pages);
	}

	/** An outcome without page events or an open dialog. */
	public ActionOutcome(Action action, String performed, @Nullable ScreenPoint screenPoint, long durationMs,
			@Nullable String urlAfter, boolean navigated, List<Download> downloads, List<HandledDialog> dialogs) {
		this(action, performed, screenPoint, durationMs, urlAfter, navigated, downloads, dialogs, List.of(), null);
	}

	/** An outcome with no browser side effects (desktop, or actions that do nothing). */
	public static ActionOutcome simple(Action action, String performed, @Nullable ScreenPoint screenPoint,
			long durationMs) {
		return new ActionOutcome(action, performed, screenPoint, durationMs, null, false, List.of(), List.of());
	}

}
