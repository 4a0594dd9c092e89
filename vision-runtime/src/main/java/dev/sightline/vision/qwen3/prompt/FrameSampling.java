package dev.sightline.vision.qwen3.prompt;

import java.util.OptionalInt;

import dev.sightline.vision.video.InvalidVideoException;

/**
 * Which frames of a decoded video Qwen3-VL's video processor keeps (QWEN3_VL spec §5.1, transformers
 * {@code Qwen3VLVideoProcessor.sample_frames}): {@code int(total / video_fps * fps)} frames clamped to
 * {@code [minFrames, maxFrames]} and to the frames available — or an explicit count, taken as given, as upstream
 * does — spread by {@code round(np.linspace(0, total - 1, n))} with half-to-even rounding.
 *
 * @param fps frames per second to sample (2)
 * @param minFrames fewest frames (4)
 * @param maxFrames most frames (768)
 */
public record FrameSampling(double fps, int minFrames, int maxFrames) {

	public static final FrameSampling DEFAULTS = new FrameSampling(2, 4, 768);

	public FrameSampling {
		if (!(fps > 0) || minFrames < 1 || maxFrames < minFrames) {
			throw new IllegalArgumentException("invalid frame sampling: fps " + fps + " must be > 0 and frames "
					+ minFrames + ".." + maxFrames + " a non-empty range from 1");
		}
	}

	/**
	 * @param totalFrames decoded frames of the source
	 * @param videoFps the source's frame rate
	 * @param numFrames an explicit frame count instead of {@link #fps()}
	 */
	public int[] indices(int totalFrames, double videoFps, OptionalInt numFrames) {
		if (totalFrames < 1) {
			throw new InvalidVideoException("a video needs at least 1 frame, got " + totalFrames);
		}
		int n;
		if (numFrames.isPresent()) {
			n = numFrames.getAsInt();
			if (n < 1) {
				throw new InvalidVideoException("num_frames must be at least 1, got " + n);
			}
		}
		else {
			if (!(videoFps > 0)) {
				throw new InvalidVideoException("the source frame rate must be > 0, got " + videoFps);
			}
			n = (int) (totalFrames / videoFps * fps);
			n = Math.min(Math.min(Math.max(n, minFrames), maxFrames), totalFrames);
		}
		return linspaceRounded(totalFrames - 1, n);
	}

	/**
	 * numpy's {@code linspace(0, stop, n)} in double ({@code i * (stop / (n-1))}, the last value exactly
	 * {@code stop}), rounded half to even. (torch's linspace counts the second half down from {@code stop}; the two
	 * can differ only at exact .5 ties created by rounding noise.)
	 */
	static int[] linspaceRounded(double stop, int n) {
		int[] out = new int[n];
		if (n == 1) {
			return out;
		}
		double step = stop / (n - 1);
		for (int i = 0; i < n; i++) {
			out[i] = (int) Math.rint(i * step);
		}
		out[n - 1] = (int) Math.rint(stop);
		return out;
	}

}
