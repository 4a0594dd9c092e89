package dev.sightline.tools.testing;

import java.time.Instant;
import java.util.Objects;

/**
 * What was at a located point when the model found it, so a replay can check the page still has it.
 *
 * @param selector a CSS selector that matched exactly that element
 * @param fingerprint the element's tag and visible text (or a form control's name/placeholder), to notice a
 * different element under the same selector
 * @param box the element's box then, in CSS px (for reports; replays use its box now)
 * @param savedAt when the entry was written
 */
public record CachedLocation(String selector, String fingerprint, CssBox box, Instant savedAt) {

	public CachedLocation {
		if (selector.isBlank()) {
			throw new IllegalArgumentException("a cached location needs a non-blank selector");
		}
		Objects.requireNonNull(fingerprint, "fingerprint");
		Objects.requireNonNull(box, "box");
		Objects.requireNonNull(savedAt, "savedAt");
	}

}
