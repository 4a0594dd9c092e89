package dev.sightline.tools.testing;

import java.util.Locale;

/** When {@link UseSightline} writes a test's HTML report. */
public enum ReportMode {

	ALWAYS, ON_FAILURE, NEVER;

	/** {@code always}, {@code on-failure} or {@code never}, any case. */
	public static ReportMode parse(String text) {
		String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
		for (ReportMode mode : values()) {
			if (mode.name().equals(name)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("report mode must be always, on-failure or never, got '" + text + "'");
	}

}
