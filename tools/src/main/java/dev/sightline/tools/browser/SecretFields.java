package dev.sightline.tools.browser;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.execute.ScreenshotMask;

/**
 * The executor's own record of fields that received a secret, kept in {@link PageWorld isolated worlds} the page
 * cannot reach: no attribute on the page, nothing it can remove. Used under the executor's lock.
 */
final class SecretFields {

	private final List<PageInspector.SecretField> fields = new ArrayList<>();

	/** A secret was typed with no field focused on this page: its whole frame is masked while it is shown. */
	private @Nullable Page withoutField;

	boolean isEmpty() {
		return fields.isEmpty() && withoutField == null;
	}

	/** Records the field with the focus on {@code page} ({@code main}: its DevTools session, null when none). */
	void typed(Page page, @Nullable CDPSession main) {
		PageInspector.SecretField field = main == null ? null : PageInspector.keepFocused(page, main);
		if (field == null) {
			withoutField = page;
		}
		else {
			fields.add(field);
		}
	}

	/**
	 * The boxes to paint on a screenshot of {@code page}; null when the whole frame must go (no field could be
	 * located). Fields whose document is gone (navigated away) are dropped.
	 */
	@Nullable List<ScreenshotMask.Box> boxes(Page page, @Nullable CDPSession main) {
		if (withoutField == page || main == null) {
			return null;
		}
		List<ScreenshotMask.Box> all = new ArrayList<>();
		for (Iterator<PageInspector.SecretField> it = fields.iterator(); it.hasNext();) {
			PageInspector.SecretField field = it.next();
			if (field.page() != page) {
				continue;
			}
			List<ScreenshotMask.Box> found = PageInspector.boxes(field, main);
			if (found == null) {
				return null;
			}
			if (found.isEmpty()) {
				it.remove();
			}
			all.addAll(found);
		}
		return all;
	}

}
