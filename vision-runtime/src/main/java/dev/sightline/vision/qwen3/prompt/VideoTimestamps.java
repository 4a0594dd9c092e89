package dev.sightline.vision.qwen3.prompt;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The time text Qwen3-VL writes before each temporal patch of a video (QWEN3_VL spec §5.4): frame times padded to an
 * even count by repeating the last, one timestamp per pair {@code (t_2k + t_2k+1) / 2}, written as
 * {@code <x.x seconds>} with Python's {@code .1f} (the exact binary value rounded half to even: 0.25 → 0.2).
 */
public final class VideoTimestamps {

	private VideoTimestamps() {
	}

	/**
	 * @param frameTimesSec each sampled frame's time in the source ({@code index / video_fps})
	 * @param temporalPatchSize frames per temporal patch (2)
	 * @return one time per temporal patch, in seconds
	 */
	public static double[] perTemporalPatch(double[] frameTimesSec, int temporalPatchSize) {
		int n = frameTimesSec.length;
		if (n == 0) {
			throw new IllegalArgumentException("a video needs at least one frame time");
		}
		int patches = (n + temporalPatchSize - 1) / temporalPatchSize;
		double[] out = new double[patches];
		for (int k = 0; k < patches; k++) {
			// Pairs are averaged as upstream does; a last odd frame pairs with itself.
			double first = frameTimesSec[Math.min(k * temporalPatchSize, n - 1)];
			double last = frameTimesSec[Math.min(k * temporalPatchSize + temporalPatchSize - 1, n - 1)];
			out[k] = (first + last) / 2;
		}
		return out;
	}

	/** {@code "<" + format(seconds, ".1f") + " seconds>"}. */
	public static String text(double seconds) {
		// BigDecimal(double) keeps the exact binary value, so ties are real ties only where Python sees them.
		return "<" + new BigDecimal(seconds).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + " seconds>";
	}

}
