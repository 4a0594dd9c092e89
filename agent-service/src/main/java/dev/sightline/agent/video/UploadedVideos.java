package dev.sightline.agent.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.sightline.vision.video.Ffmpeg;
import dev.sightline.vision.video.InvalidVideoException;
import dev.sightline.vision.video.VideoProbe;

/**
 * An uploaded video file (mp4, webm, mkv, mov, avi) to timed PNG frames: ffprobe (local file only, known demuxers)
 * checks the container, frame size and duration against the ceilings, ffmpeg samples it at a rate that yields at most {@code maxFrames} frames, each stamped with
 * its presentation time.
 */
final class UploadedVideos {

	private final VideoSettings settings;

	private final Ffmpeg ffmpeg;

	UploadedVideos(VideoSettings settings) {
		this.settings = settings;
		this.ffmpeg = new Ffmpeg(settings.ffmpeg(), settings.ffprobe(), settings.timeoutSeconds() * 1000L);
	}

	List<ClipFrame> frames(Path file, String name, double fps, int maxFrames) {
		VideoProbe probe = probe(file, name);
		if (probe.durationSec() > settings.maxDurationSeconds()) {
			throw VideoProblem.tooLong(String.format(Locale.ROOT,
					"video '%s' lasts %.1f s, more than the ceiling of %d s (sightline.video.max-duration-seconds)",
					name, probe.durationSec(), settings.maxDurationSeconds()));
		}
		// Sample no faster than needed for maxFrames over the whole clip, then thin to exactly that many.
		double rate = Math.min(fps, Math.max(maxFrames - 1, 1) / Math.max(probe.durationSec(), 1e-3));
		Path dir = tempDir();
		try {
			ffmpeg.decode(file, probe.demuxer(), List.of("-map", "0:v:0", "-vf",
					String.format(Locale.ROOT, "fps=%.6f", rate), "-frames:v", Integer.toString(maxFrames + 1),
					dir.resolve("%06d.png").toString()), "video '" + name + "'");
			List<Path> pngs = list(dir);
			if (pngs.isEmpty()) {
				throw VideoProblem.undecodable("video '" + name + "' yielded 0 frames");
			}
			double[] times = new double[pngs.size()];
			for (int i = 0; i < times.length; i++) {
				// The fps filter emits frame i at i / rate from the start of the stream.
				times[i] = i / rate;
			}
			List<ClipFrame> frames = new ArrayList<>();
			for (int i : FrameSelection.select(times, rate, maxFrames)) {
				frames.add(new ClipFrame(Files.readAllBytes(pngs.get(i)), times[i], null));
			}
			return frames;
		}
		catch (InvalidVideoException e) {
			throw VideoProblem.undecodable(e.getMessage());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read the frames of " + name, e);
		}
		finally {
			delete(dir);
		}
	}

	/** The file's stream facts, each refusal answered with its own problem (422, 415, 413). */
	VideoProbe probe(Path file, String name) {
		VideoProbe probe;
		try {
			probe = ffmpeg.probeVideo(file, "video '" + name + "'");
		}
		catch (InvalidVideoException e) {
			throw switch (e.kind()) {
				case UNREADABLE -> VideoProblem.undecodable(e.getMessage());
				case UNSUPPORTED_CONTAINER -> VideoProblem.unsupported(e.getMessage());
				case TOO_LARGE -> VideoProblem.tooLong(e.getMessage());
			};
		}
		if (!(probe.durationSec() > 0)) {
			throw VideoProblem.undecodable("video '" + name + "' has no duration (0 frames?)");
		}
		return probe;
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("sightline-video-");
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot create a temporary directory for video frames", e);
		}
	}

	private static List<Path> list(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
		}
	}

	static void delete(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ignored) {
			// A leftover temporary file is harmless; the answer matters more.
		}
	}

}
