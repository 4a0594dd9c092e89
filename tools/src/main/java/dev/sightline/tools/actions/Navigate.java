package dev.sightline.tools.actions;

import java.util.function.UnaryOperator;

/**
 * {@code navigate} (Sightline's browser extension): load a URL in the current tab. The browser's navigation policy
 * decides whether the URL may be loaded.
 */
public record Navigate(String url) implements Action {

	public static final String NAME = "navigate";

	/** Browsers themselves refuse far longer URLs than this, and no task needs one. */
	public static final int MAX_URL_LENGTH = 8_192;

	public Navigate {
		url = url.strip();
		if (url.isEmpty()) {
			throw new InvalidActionException("navigate needs a non-empty url");
		}
		if (url.length() > MAX_URL_LENGTH) {
			throw new InvalidActionException(
					"navigate url has " + url.length() + " characters, more than the limit of " + MAX_URL_LENGTH);
		}
	}

	@Override
	public Navigate mapText(UnaryOperator<String> mapping) {
		return new Navigate(mapping.apply(url));
	}

	@Override
	public String name() {
		return NAME;
	}

}
