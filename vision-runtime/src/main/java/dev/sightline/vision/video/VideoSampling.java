package dev.sightline.vision.video;

/**
 * qwen-vl-utils' frame sampling for video files (spec §5, {@code smart_nframes} and {@code fetch_video}): how many
 * frames to take, which ones, and the per-frame pixel budget.
 *
 * @param fps frames per second to sample (2.0)
 * @param minFrames fewest frames, rounded up to the temporal factor (4)
 * @param maxFrames most frames, rounded down to the temporal factor (768)
 * @param minPixels smallest frame area after resize (128 x 28 x 28)
 * @param maxPixels largest frame area after resize (768 x 28 x 28)
 * @param totalPixels budget over all frames together (128000 x 28 x 28 x 0.9)
 */
public record VideoSampling(double fps, int minFrames, int maxFrames, long minPixels, long maxPixels,
		double totalPixels) {

	public static final int FRAME_FACTOR = 2;

	public static final VideoSampling DEFAULTS = new VideoSampling(2.0, 4, 768, 128 * 28 * 28, 768 * 28 * 28,
			128000 * 28 * 28 * 0.9);

	public VideoSampling {
		if (!(fps > 0) || minFrames < 1 || maxFrames < minFrames || minPixels < 1 || maxPixels < minPixels
				|| !(totalPixels > 0)) {
			throw new IllegalArgumentException("invalid video sampling: fps " + fps + " (> 0), frames " + minFrames
					+ ".." + maxFrames + ", pixels " + minPixels + ".." + maxPixels + ", total " + totalPixels);
		}
	}

	/** Frames to sample from a file of {@code totalFrames} frames at {@code videoFps}. */
	public int frameCount(int totalFrames, double videoFps) {
		int min = ceilBy(minFrames);
		int max = floorBy(Math.min(maxFrames, totalFrames));
		double n = totalFrames / videoFps * fps;
		n = Math.min(Math.min(Math.max(n, min), max), totalFrames);
		int frames = (int) (Math.floor(n / FRAME_FACTOR) * FRAME_FACTOR);
		if (frames < FRAME_FACTOR || frames > totalFrames) {
			throw new InvalidVideoException("a video of " + totalFrames + " frames at " + videoFps
					+ " fps yields " + frames + " sampled frames; at least " + FRAME_FACTOR + " are needed");
		}
		return frames;
	}

	/** {@code torch.linspace(0, total - 1, n).round()} in float32, half to even, as the reference indexes frames. */
	public static int[] frameIndices(int totalFrames, int n) {
		int[] out = new int[n];
		float start = 0;
		float end = totalFrames - 1;
		float step = n > 1 ? (end - start) / (n - 1) : 0;
		int half = n / 2;
		for (int i = 0; i < n; i++) {
			float value = i < half ? start + step * i : end - step * (n - 1 - i);
			out[i] = (int) Math.rint(value);
		}
		return out;
	}

	/** Per-frame budget for {@code n} frames: total pixels shared out, within [min x 1.05, maxPixels]. */
	public long frameMaxPixels(int n) {
		double shared = Math.min(maxPixels, totalPixels / n * FRAME_FACTOR);
		return (long) Math.max(shared, (long) (minPixels * 1.05));
	}

	private static int ceilBy(int value) {
		return (int) Math.ceil(value / (double) FRAME_FACTOR) * FRAME_FACTOR;
	}

	private static int floorBy(int value) {
		return (int) Math.floor(value / (double) FRAME_FACTOR) * FRAME_FACTOR;
	}

}
