package dev.sightline.agent.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which recorded frames go to the model. Screenshots are not evenly spaced (a step takes as long as the model and the
 * page take), so frames are chosen by their real capture times: at most {@code fps} frames per second of recording,
 * first and last always kept, then thinned to {@code maxFrames} frames nearest to evenly spaced instants. The chosen
 * frames keep their own timestamps, so {@code second_per_grid_t} later comes from real time (spec §5, §7.6), not
 * from a nominal rate. Pure.
 */
public final class FrameSelection {

	private FrameSelection() {
	}

	/**
	 * @param timestampsSec capture times, strictly increasing
	 * @param fps most frames per second of recording, > 0
	 * @param maxFrames most frames in all, >= 1
	 * @return indices into {@code timestampsSec}, increasing
	 */
	public static int[] select(double[] timestampsSec, double fps, int maxFrames) {
		if (!(fps > 0) || !Double.isFinite(fps)) {
			throw new IllegalArgumentException("fps must be a finite number > 0, got " + fps);
		}
		if (maxFrames < 1) {
			throw new IllegalArgumentException("maxFrames must be at least 1, got " + maxFrames);
		}
		for (int i = 1; i < timestampsSec.length; i++) {
			if (!(timestampsSec[i] > timestampsSec[i - 1])) {
				throw new IllegalArgumentException(String.format(Locale.ROOT,
						"timestamps must strictly increase: %.3f s then %.3f s", timestampsSec[i - 1],
						timestampsSec[i]));
			}
		}
		if (timestampsSec.length == 0) {
			return new int[0];
		}
		List<Integer> byRate = byRate(timestampsSec, fps);
		return byRate.size() <= maxFrames ? toArray(byRate) : thinned(timestampsSec, byRate, maxFrames);
	}

	/** Frames at least 1/fps apart (a hair of tolerance for clock jitter); the last frame replaces a close one. */
	private static List<Integer> byRate(double[] t, double fps) {
		double minGapSec = 1 / fps - 1e-6;
		List<Integer> kept = new ArrayList<>();
		kept.add(0);
		for (int i = 1; i < t.length; i++) {
			if (t[i] - t[kept.get(kept.size() - 1)] >= minGapSec) {
				kept.add(i);
			}
		}
		int last = t.length - 1;
		if (kept.get(kept.size() - 1) != last) {
			// The final screen is what the task ended on: keep it, dropping the kept frame too close to it.
			if (kept.size() > 1) {
				kept.remove(kept.size() - 1);
			}
			kept.add(last);
		}
		return kept;
	}

	/** For each of {@code n} evenly spaced instants, the nearest candidate not yet taken, in time order. */
	private static int[] thinned(double[] t, List<Integer> candidates, int n) {
		int[] out = new int[n];
		if (n == 1) {
			out[0] = candidates.get(0);
			return out;
		}
		double start = t[candidates.get(0)];
		double end = t[candidates.get(candidates.size() - 1)];
		int from = 0;
		for (int k = 0; k < n; k++) {
			double target = start + (end - start) * k / (n - 1);
			// Leave enough candidates after this one for the instants still to come.
			int lastAllowed = candidates.size() - (n - k);
			int best = from;
			for (int c = from + 1; c <= lastAllowed; c++) {
				if (Math.abs(t[candidates.get(c)] - target) < Math.abs(t[candidates.get(best)] - target)) {
					best = c;
				}
			}
			out[k] = candidates.get(best);
			from = best + 1;
		}
		return out;
	}

	private static int[] toArray(List<Integer> values) {
		return values.stream().mapToInt(Integer::intValue).toArray();
	}

}
