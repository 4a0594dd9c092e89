package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.qwen3.prompt.Qwen3VideoProcessor;

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
		return PreprocessVideoRunner.outcome(c, dir, () -> videos.process(frames, config.budget()).video(), false);
	}

}
