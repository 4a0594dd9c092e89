package dev.sightline.vision.video;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.video.InvalidVideoException.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ffprobe's JSON as it writes it (ffprobe 7, {@code -of json}), read by the one reader every caller uses. */
class VideoProbeTest {

	private static VideoProbe read(String json) {
		return VideoProbe.read(json.getBytes(StandardCharsets.UTF_8), "video 'clip.mp4'");
	}

	@Test
	void readsContainerSizeDurationRateAndCountedFrames() {
		VideoProbe probe = read("""
				{"programs": [], "stream_groups": [],
				 "streams": [{"width": 1280, "height": 720, "r_frame_rate": "30/1", "avg_frame_rate": "30000/1001",
				              "nb_read_packets": "150"}],
				 "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "5.005000"}}""");

		assertThat(probe).isEqualTo(new VideoProbe("mov", 1280, 720, 5.005, 30000 / 1001.0, OptionalInt.of(150)));
	}

	@Test
	void withoutACountOrAnAverageRateFallsBackAndSaysNothingIsCounted() {
		VideoProbe probe = read("""
				{"streams": [{"width": 320, "height": 240, "r_frame_rate": "25/1", "avg_frame_rate": "0/0"}],
				 "format": {"format_name": "matroska,webm"}}""");

		assertThat(probe.demuxer()).isEqualTo("matroska");
		assertThat(probe.fps()).isEqualTo(25.0);
		assertThat(probe.durationSec()).isZero();
		assertThat(probe.frames()).isEmpty();
	}

	@Test
	void eachRefusalSaysWhatWasWrongAndOfWhichKindItIs() {
		assertThatThrownBy(() -> read("""
				{"streams": [{"width": 320, "height": 240}], "format": {"format_name": "hls"}}"""))
			.isInstanceOfSatisfying(InvalidVideoException.class,
					e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED_CONTAINER))
			.hasMessage("video 'clip.mp4' is 'hls'; supported containers are mp4/mov, webm/mkv and avi");
		assertThatThrownBy(() -> read("""
				{"streams": [{"width": 8400, "height": 16}], "format": {"format_name": "avi"}}"""))
			.isInstanceOfSatisfying(InvalidVideoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE))
			.hasMessageContaining("8400x16 frames, more than the ceiling of 8192 px a side");
		assertThatThrownBy(() -> read("""
				{"streams": [], "format": {"format_name": "avi"}}"""))
			.isInstanceOfSatisfying(InvalidVideoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREADABLE))
			.hasMessage("video 'clip.mp4' has no video stream");
		assertThatThrownBy(() -> read("not json"))
			.isInstanceOfSatisfying(InvalidVideoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREADABLE))
			.hasMessageStartingWith("cannot read ffprobe's report on video 'clip.mp4'");
	}

	@Test
	void readsRatesAsFfprobeWritesThem() {
		assertThat(VideoProbe.rate("30000/1001")).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.01));
		assertThat(VideoProbe.rate("25")).isEqualTo(25.0);
		assertThat(VideoProbe.rate("0/0")).isZero();
		assertThat(VideoProbe.rate("N/A")).isZero();
		assertThat(VideoProbe.rate("")).isZero();
	}

}
