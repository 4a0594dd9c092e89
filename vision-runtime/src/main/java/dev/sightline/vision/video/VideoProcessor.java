package dev.sightline.vision.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PilBicubic;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.preprocess.SmartResize;

/**
 * Timed frames to {@link ProcessedVideo} (spec §5; qwen-vl-utils' frame-list path): every frame is decoded like an
 * image and resized with Pillow bicubic to the size smart resize gives the first frame; an odd count is padded by
 * repeating the last frame; frames are normalized and patchified as images, two frames per temporal group.
 * {@code second_per_grid_t} comes from the timestamps: temporal patch x the mean frame interval, which equals
 * {@code temporal_patch_size / fps} for evenly spaced frames and keeps absolute time for irregular ones.
 */
public final class VideoProcessor {

	/** qwen-vl-utils' default sampling rate, used for the time step of a single frame. */
	public static final double DEFAULT_FPS = 2.0;

	private final ImageProcessor images;

	public VideoProcessor(ImageProcessor images) {
		this.images = Objects.requireNonNull(images, "images");
	}

	public ProcessedVideo process(List<TimedFrame> frames, PixelBudget budget) {
		requireFrames(frames.size());
		double[] timestamps = frames.stream().mapToDouble(TimedFrame::timestampSec).toArray();
		requireIncreasing(timestamps);
		List<RgbImage> decoded = new ArrayList<>(frames.size());
		for (TimedFrame frame : frames) {
			decoded.add(images.decoder().decode(frame.encoded()));
		}
		return processDecoded(decoded, timestamps, budget);
	}

	/** From decoded frames (e.g. sampled from a video file) and their capture times in seconds. */
	public ProcessedVideo processDecoded(List<RgbImage> frames, double[] timestampsSec, PixelBudget budget) {
		requireFrames(frames.size());
		if (timestampsSec.length != frames.size()) {
			throw new InvalidVideoException(frames.size() + " frames but " + timestampsSec.length + " timestamps");
		}
		requireIncreasing(timestampsSec);
		ImageSize target = SmartResize.fit(frames.get(0).size(), budget, images.config().factor());
		List<RgbImage> resized = frames.parallelStream().map(f -> PilBicubic.resize(f, target)).toList();
		float[] values = images.flatten(resized, target);
		return new ProcessedVideo(values, images.grid(resized.size(), target), target,
				secondPerGridT(timestampsSec, images.config().temporalPatchSize()));
	}

	/** Temporal patch x mean interval between frames; a single frame uses {@link #DEFAULT_FPS}. */
	public static float secondPerGridT(double[] timestampsSec, int temporalPatchSize) {
		int n = timestampsSec.length;
		if (n < 2) {
			return (float) (temporalPatchSize / DEFAULT_FPS);
		}
		double interval = (timestampsSec[n - 1] - timestampsSec[0]) / (n - 1);
		return (float) (temporalPatchSize * interval);
	}

	private static void requireFrames(int count) {
		if (count == 0) {
			throw new InvalidVideoException("a video needs at least 1 frame, got 0");
		}
	}

	private static void requireIncreasing(double[] timestamps) {
		for (int i = 1; i < timestamps.length; i++) {
			if (!(timestamps[i] > timestamps[i - 1])) {
				throw new InvalidVideoException(String.format(Locale.ROOT,
						"frame timestamps must strictly increase: frame %d is at %.3f s, frame %d at %.3f s", i - 1,
						timestamps[i - 1], i, timestamps[i]));
			}
		}
	}

}
