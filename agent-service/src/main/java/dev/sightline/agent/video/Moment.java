package dev.sightline.agent.video;

import java.util.Locale;

/**
 * A span of the clip the model's answer points at, in seconds of the source's timeline; an instant has
 * {@code startSec == endSec}.
 */
public record Moment(double startSec, double endSec, String description) {

	public Moment {
		if (!Double.isFinite(startSec) || !Double.isFinite(endSec) || startSec < 0 || endSec < startSec) {
			throw new IllegalArgumentException(String.format(Locale.ROOT,
					"a moment needs 0 <= startSec <= endSec, got %.3f..%.3f", startSec, endSec));
		}
		description = description.strip();
	}

	/** The same moment moved by {@code offsetSec} (clip time to source time). */
	public Moment shifted(double offsetSec) {
		return new Moment(startSec + offsetSec, endSec + offsetSec, description);
	}

}
