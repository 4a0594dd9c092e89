package dev.sightline.vision.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ProcessorConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decodes real mp4 and webm files with the system ffmpeg (installed by the launcher). */
class VideoFileDecoderIT {

	@TempDir
	static Path dir;

	@BeforeAll
	static void requireFfmpeg() throws Exception {
		boolean present;
		try {
			present = new ProcessBuilder("ffmpeg", "-version").start().waitFor(10, TimeUnit.SECONDS);
		}
		catch (java.io.IOException e) {
			present = false;
		}
		assumeTrue(present, "ffmpeg not installed");
	}

	private static Path encode(String name, String codec) throws Exception {
		Path out = dir.resolve(name);
		Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
				"testsrc=size=320x240:rate=10:duration=3", "-c:v", codec, "-pix_fmt", "yuv420p", out.toString())
			.inheritIO()
			.start();
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).isZero();
		return out;
	}

	private final VideoFileDecoder decoder = new VideoFileDecoder(
			new VideoProcessor(new ImageProcessor(ProcessorConfig.PUBLISHED)), VideoSampling.DEFAULTS);

	@Test
	void samplesAnMp4AtTwoFramesPerSecond() throws Exception {
		ProcessedVideo video = decoder.process(encode("clip.mp4", "libx264"));
		// 30 frames at 10 fps sampled at 2 fps -> 6 frames -> 3 temporal groups; 320x240 -> 308x224 (min 100352 px).
		assertThat(video.grid().t()).isEqualTo(3);
		assertThat(video.resized().pixels()).isGreaterThanOrEqualTo(128 * 28 * 28);
		// Frames 0, 6, 12, 17, 23, 29 at 10 fps: mean interval 0.58 s -> 1.16 s per group of two.
		assertThat(video.secondPerGridT()).isCloseTo(1.16f, org.assertj.core.data.Offset.offset(1e-5f));
	}

	@Test
	void decodesWebm() throws Exception {
		ProcessedVideo video = decoder.process(encode("clip.webm", "libvpx-vp9"));
		assertThat(video.grid().t()).isEqualTo(3);
	}

	@Test
	void rejectsAFileThatIsNotAVideo() throws Exception {
		Path junk = Files.write(dir.resolve("junk.mp4"), new byte[] { 1, 2, 3, 4 });
		assertThatThrownBy(() -> decoder.process(junk)).isInstanceOf(InvalidVideoException.class);
	}

	@Test
	void refusesAPlaylistThatReadsOtherFilesOrTheNetwork() throws Exception {
		com.sun.net.httpserver.HttpServer observer = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
		java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
		observer.createContext("/", exchange -> {
			hits.incrementAndGet();
			exchange.sendResponseHeaders(404, -1);
			exchange.close();
		});
		observer.start();
		try {
			// Another file on this machine (another tenant's recording, say) that an upload must never read.
			Path secret = dir.resolve("other-tenant.ts");
			Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
					"testsrc=size=64x48:rate=5:duration=2", "-c:v", "mpeg2video", "-f", "mpegts", secret.toString())
				.inheritIO()
				.start();
			assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
			// HLS playlists named like videos: with every demuxer enabled ffmpeg opens what they list.
			Path local = Files.writeString(dir.resolve("upload.mp4"),
					"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n" + secret.toAbsolutePath() + "\n#EXT-X-ENDLIST\n");
			Path remote = Files.writeString(dir.resolve("remote.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"
					+ "http://127.0.0.1:" + observer.getAddress().getPort() + "/segment.ts\n#EXT-X-ENDLIST\n");

			assertThatThrownBy(() -> decoder.process(local)).isInstanceOf(InvalidVideoException.class);
			assertThatThrownBy(() -> decoder.process(remote)).isInstanceOf(InvalidVideoException.class);
			assertThat(hits.get()).as("requests that reached the network").isZero();
		}
		finally {
			observer.stop(0);
		}
	}

	@Test
	void refusesFramesLargerThanTheCeilingBeforeDecoding() throws Exception {
		Path wide = dir.resolve("wide.mkv");
		Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
				"color=c=white:size=8400x16:rate=1:duration=1", "-c:v", "ffv1", wide.toString())
			.inheritIO()
			.start();
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).isZero();

		assertThatThrownBy(() -> decoder.process(wide)).isInstanceOf(InvalidVideoException.class)
			.hasMessageContaining("8400x16")
			.hasMessageContaining("ceiling of 8192 px a side");
	}

	@Test
	void probesOnlyKnownContainers() {
		assertThat(Ffmpeg.demuxerOf("mov,mp4,m4a,3gp,3g2,mj2", "clip")).isEqualTo("mov");
		assertThat(Ffmpeg.demuxerOf("matroska,webm", "clip")).isEqualTo("matroska");
		assertThatThrownBy(() -> Ffmpeg.demuxerOf("hls", "clip")).hasMessageContaining("'hls'");
		assertThatThrownBy(() -> Ffmpeg.checkFrameSize(7680, 4321, "clip")).hasMessageContaining("7680x4321");
	}

}
