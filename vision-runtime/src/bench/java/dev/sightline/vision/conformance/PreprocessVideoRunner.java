package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.InvalidImageException;
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
		return outcome(c, dir, () -> videos.process(frames, config.budget()), true);
	}

	/** What processes a case's frames (either family's video processor). */
	interface Process {

		ProcessedVideo video();

	}

	/**
	 * Either family's video case: a case the reference rejects must be rejected; otherwise grid, size and patches
	 * (and, for Qwen2.5-VL, {@code second_per_grid_ts}) against the expected ones.
	 */
	static CaseOutcome outcome(GoldenCase c, Path dir, Process process, boolean secondPerGrid) {
		if (c.expectError()) {
			try {
				return CaseOutcome.failed("accepted a video the reference rejects: " + process.video());
			}
			catch (InvalidImageException expected) {
				return CaseOutcome.passed();
			}
		}
		ProcessedVideo video = process.video();
		try (SafeTensorsFile expected = SafeTensorsFile.open(c.file(dir, "expected"))) {
			List<Optional<String>> checks = new ArrayList<>();
			checks.add(Tolerance.compareExact("video_grid_thw", Golden.grid(video.grid()),
					expected.longs("video_grid_thw")));
			checks.add(Tolerance.compareExact("resized_hw",
					new long[] { video.resized().heightPx(), video.resized().widthPx() }, expected.longs("resized_hw")));
			if (secondPerGrid) {
				checks.add(Tolerance.EXACT.compare("second_per_grid_ts", new float[] { video.secondPerGridT() },
						expected.floats("second_per_grid_ts")));
			}
			checks.add(c.tolerance().compare("pixel_values_videos", video.pixelValues(),
					expected.floats("pixel_values_videos")));
			return CaseOutcome.of(checks);
		}
	}

}
