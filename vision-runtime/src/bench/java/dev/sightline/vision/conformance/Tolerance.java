package dev.sightline.vision.conformance;

import java.util.Optional;

/**
 * numpy {@code allclose}: a value passes when {@code |actual - expected| <= atol + rtol * |expected|}. Integer
 * outputs use atol = rtol = 0 (exact). The one comparison every golden check uses, in the CLI and in JUnit.
 */
public record Tolerance(double atol, double rtol) {

	public static final Tolerance EXACT = new Tolerance(0, 0);

	public Tolerance {
		if (!(atol >= 0) || !(rtol >= 0)) {
			throw new IllegalArgumentException("atol and rtol must be >= 0, got " + atol + ", " + rtol);
		}
	}

	/** Empty when every element is close; else a description of the worst element and the mismatch count. */
	public Optional<String> compare(String name, float[] actual, float[] expected) {
		if (actual.length != expected.length) {
			return Optional.of(name + ": " + actual.length + " values, expected " + expected.length);
		}
		int bad = 0;
		int worst = -1;
		double worstExcess = 0;
		for (int i = 0; i < actual.length; i++) {
			double diff = Math.abs((double) actual[i] - expected[i]);
			double allowed = atol + rtol * Math.abs((double) expected[i]);
			// NaN never passes, like allclose without equal_nan.
			if (!(diff <= allowed)) {
				bad++;
				double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - allowed;
				if (worst < 0 || excess > worstExcess) {
					worst = i;
					worstExcess = excess;
				}
			}
		}
		if (bad == 0) {
			return Optional.empty();
		}
		return Optional.of(String.format(java.util.Locale.ROOT,
				"%s: %d of %d values differ beyond atol %g rtol %g; worst at [%d]: %s vs expected %s", name, bad,
				actual.length, atol, rtol, worst, actual[worst], expected[worst]));
	}

	/** Exact comparison of integers (ids, grids, positions). */
	public static Optional<String> compareExact(String name, long[] actual, long[] expected) {
		if (actual.length != expected.length) {
			return Optional.of(name + ": " + actual.length + " values, expected " + expected.length);
		}
		int bad = 0;
		int first = -1;
		for (int i = 0; i < actual.length; i++) {
			if (actual[i] != expected[i]) {
				bad++;
				first = first < 0 ? i : first;
			}
		}
		if (bad == 0) {
			return Optional.empty();
		}
		return Optional.of(name + ": " + bad + " of " + actual.length + " values differ; first at [" + first + "]: "
				+ actual[first] + " vs expected " + expected[first]);
	}

}
