package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.InvalidImageException;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.qwen3.prompt.Qwen3VideoProcessor;
import dev.sightline.vision.video.ProcessedVideo;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * Qwen3-VL {@code preprocess_video}: the case's already sampled frames through {@link Qwen3VideoProcessor} (budget
 * over all frames); checks patches, grid and size.
 */
final class Qwen3PreprocessVideoRunner implements CaseRunner {

	@Override
	public String kind() {
		return "preprocess_video";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		ProcessorConfig config = ProcessorConfig.fromJson(c.params());
		List<TimedFrame> frames = new ArrayList<>();
		for (int i = 0; c.files().containsKey(String.format("frame_%02d", i)); i++) {
			// Times do not enter the pixels; one frame per second keeps them increasing.
			frames.add(new TimedFrame(Files.readAllBytes(c.file(dir, String.format("frame_%02d", i))), i));
		}
		Qwen3VideoProcessor videos = new Qwen3VideoProcessor(new ImageProcessor(config));
		if (c.expectError()) {
			try {
				return CaseOutcome.failed("accepted a video the reference rejects: "
						+ videos.process(frames, config.budget()).video());
			}
			catch (InvalidImageException expected) {
				return CaseOutcome.passed();
			}
		}
		ProcessedVideo video = videos.process(frames, config.budget()).video();
		try (SafeTensorsFile expected = SafeTensorsFile.open(c.file(dir, "expected"))) {
			return CaseOutcome.of(List.of(
					Tolerance.compareExact("video_grid_thw", Golden.grid(video.grid()),
							expected.longs("video_grid_thw")),
					Tolerance.compareExact("resized_hw",
							new long[] { video.resized().heightPx(), video.resized().widthPx() },
							expected.longs("resized_hw")),
					c.tolerance().compare("pixel_values_videos", video.pixelValues(),
							expected.floats("pixel_values_videos"))));
		}
	}

}
