package dev.sightline.vision.qwen3.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PilBicubic;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.video.InvalidVideoException;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * Sampled, timed frames to Qwen3-VL video inputs (QWEN3_VL spec §5.2-§5.4): one {@link VideoSmartResize} over all
 * frames, Pillow bicubic to that size, normalised and patchified like images (an odd count repeats the last frame),
 * and one timestamp per temporal patch from the frames' times.
 */
public final class Qwen3VideoProcessor {

	/** A processed video and the timestamp of each of its temporal patches. */
	public record Result(ProcessedVideo video, double[] timestampsSec) {
	}

	private final ImageProcessor images;

	public Qwen3VideoProcessor(ImageProcessor images) {
		this.images = Objects.requireNonNull(images, "images");
	}

	public Result process(List<TimedFrame> frames, PixelBudget budget) {
		List<RgbImage> decoded = new ArrayList<>(frames.size());
		double[] times = new double[frames.size()];
		for (int i = 0; i < frames.size(); i++) {
			decoded.add(images.decoder().decode(frames.get(i).encoded()));
			times[i] = frames.get(i).timestampSec();
			if (i > 0 && !(times[i] > times[i - 1])) {
				throw new InvalidVideoException("frame timestamps must strictly increase: frame " + (i - 1) + " at "
						+ times[i - 1] + " s, frame " + i + " at " + times[i] + " s");
			}
		}
		return processDecoded(decoded, times, budget);
	}

	public Result processDecoded(List<RgbImage> frames, double[] timesSec, PixelBudget budget) {
		if (frames.isEmpty() || frames.size() != timesSec.length) {
			throw new InvalidVideoException("a video needs at least one frame and one time per frame, got "
					+ frames.size() + " frames and " + timesSec.length + " times");
		}
		int temporal = images.config().temporalPatchSize();
		ImageSize target = VideoSmartResize.fit(frames.size(), frames.get(0).size(), budget,
				images.config().factor(), temporal);
		List<RgbImage> resized = frames.parallelStream().map(f -> PilBicubic.resize(f, target)).toList();
		double[] stamps = VideoTimestamps.perTemporalPatch(timesSec, temporal);
		float secondPerGrid = stamps.length > 1 ? (float) (stamps[1] - stamps[0]) : 0f;
		ProcessedVideo video = new ProcessedVideo(images.flatten(resized, target),
				images.grid(resized.size(), target), target, secondPerGrid);
		return new Result(video, stamps);
	}

}
