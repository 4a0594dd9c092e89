package dev.sightline.vision.video;

import java.io.IOException;
import java.util.List;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageProcessorTestSupport;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessorConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VideoProcessorTest {

	private final VideoProcessor videos = new VideoProcessor(new ImageProcessor(ProcessorConfig.PUBLISHED));

	private static byte[] frame() throws IOException {
		return ImageProcessorTestSupport.png(ImageProcessorTestSupport.pattern(112, 84));
	}

	@Test
	void padsAnOddFrameCountAndTakesSecondsPerGridFromTimestamps() throws IOException {
		byte[] f = frame();
		ProcessedVideo video = videos.process(
				List.of(new TimedFrame(f, 10.0), new TimedFrame(f, 10.5), new TimedFrame(f, 11.0)),
				PixelBudget.PUBLISHED);
		assertThat(video.grid()).isEqualTo(new GridThw(2, 6, 8));
		assertThat(video.secondPerGridT()).isEqualTo(1.0f);
	}

	@Test
	void irregularFramesKeepAbsoluteTimeThroughTheMeanInterval() throws IOException {
		byte[] f = frame();
		ProcessedVideo video = videos.process(List.of(new TimedFrame(f, 0), new TimedFrame(f, 0.2),
				new TimedFrame(f, 1.9), new TimedFrame(f, 3.0)), PixelBudget.PUBLISHED);
		// Last group starts at frame 2; two groups span 3 s over 3 intervals -> 2 s per group of 2 frames.
		assertThat(video.secondPerGridT()).isEqualTo(2.0f);
	}

	@Test
	void rejectsAVideoWithoutFrames() {
		assertThatThrownBy(() -> videos.process(List.of(), PixelBudget.PUBLISHED))
			.isInstanceOf(InvalidVideoException.class)
			.hasMessageContaining("at least 1 frame, got 0");
	}

	@Test
	void rejectsNonIncreasingTimestamps() throws IOException {
		byte[] f = frame();
		assertThatThrownBy(() -> videos.process(List.of(new TimedFrame(f, 1.0), new TimedFrame(f, 1.0)),
				PixelBudget.PUBLISHED))
			.isInstanceOf(InvalidVideoException.class)
			.hasMessageContaining("must strictly increase: frame 0 is at 1.000 s, frame 1 at 1.000 s");
	}

	@Test
	void samplesFramesAsQwenVlUtils() {
		VideoSampling sampling = VideoSampling.DEFAULTS;
		// 10 s at 30 fps sampled at 2 fps -> 20 frames, evenly spread over 0..299.
		assertThat(sampling.frameCount(300, 30)).isEqualTo(20);
		int[] indices = VideoSampling.frameIndices(300, 20);
		assertThat(indices[0]).isZero();
		assertThat(indices[19]).isEqualTo(299);
		// A 1 s clip still gets the minimum of 4 frames.
		assertThat(sampling.frameCount(30, 30)).isEqualTo(4);
		assertThat(sampling.frameMaxPixels(20)).isEqualTo(768 * 28 * 28);
		assertThatThrownBy(() -> sampling.frameCount(1, 30)).isInstanceOf(InvalidVideoException.class)
			.hasMessageContaining("at least 2");
	}

}
