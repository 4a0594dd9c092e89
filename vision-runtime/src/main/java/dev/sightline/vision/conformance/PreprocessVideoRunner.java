package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.video.ProcessedVideo;
import dev.sightline.vision.video.VideoProcessor;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * {@code preprocess_video}: the case's frames, timed at {@code i / fps}, through {@link VideoProcessor}; checks the
 * patches, grid, size and {@code second_per_grid_ts}.
 */
final class PreprocessVideoRunner implements CaseRunner {

	@Override
	public String kind() {
		return "preprocess_video";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		ProcessorConfig config = ProcessorConfig.fromJson(c.params());
		double fps = c.params().path("fps").asDouble(VideoProcessor.DEFAULT_FPS);
		List<TimedFrame> frames = new ArrayList<>();
		JsonNode paths = c.params().path("frames");
		for (int i = 0; i < paths.size(); i++) {
			frames.add(new TimedFrame(Files.readAllBytes(dir.resolve(paths.get(i).asText())), i / fps));
		}
		VideoProcessor videos = new VideoProcessor(new ImageProcessor(config));
		if (c.expectError()) {
			try {
				return CaseOutcome.failed("accepted a video the reference rejects: " + videos.process(frames,
						config.budget()));
			}
			catch (dev.sightline.vision.preprocess.InvalidImageException expected) {
				return CaseOutcome.passed();
			}
		}
		ProcessedVideo video = videos.process(frames, config.budget());
		try (SafeTensorsFile expected = SafeTensorsFile.open(c.file(dir, "expected"))) {
			return CaseOutcome.of(List.of(
					Tolerance.compareExact("video_grid_thw", Golden.grid(video.grid()),
							expected.longs("video_grid_thw")),
					Tolerance.compareExact("resized_hw",
							new long[] { video.resized().heightPx(), video.resized().widthPx() },
							expected.longs("resized_hw")),
					Tolerance.EXACT.compare("second_per_grid_ts", new float[] { video.secondPerGridT() },
							expected.floats("second_per_grid_ts")),
					c.tolerance().compare("pixel_values_videos", video.pixelValues(),
							expected.floats("pixel_values_videos"))));
		}
	}

}
