package dev.sightline.agent.video;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.sightline.vision.video.Ffmpeg;
import dev.sightline.vision.video.InvalidVideoException;

/**
 * A task's recording as a video file, encoded by ffmpeg from the timed screenshots: each frame stays on screen until
 * the next one was captured (ffmpeg's concat demuxer with per-frame durations), so the file plays in real time.
 */
final class RecordingExporter {

	/** A container and its codec arguments. */
	enum Format {

		MP4("video/mp4", List.of("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags",
				"+faststart", "-f", "mp4")),
		WEBM("video/webm", List.of("-c:v", "libvpx", "-deadline", "realtime", "-b:v", "1M", "-pix_fmt", "yuv420p",
				"-f", "webm"));

		final String mediaType;

		final List<String> codec;

		Format(String mediaType, List<String> codec) {
			this.mediaType = mediaType;
			this.codec = codec;
		}

		String extension() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Format fromWire(String value) {
			return switch (value.toLowerCase(Locale.ROOT)) {
				case "mp4" -> MP4;
				case "webm" -> WEBM;
				default -> throw VideoProblem.badRequest("format must be mp4 or webm, got '" + value + "'");
			};
		}

	}

	/** How long the last frame shows: it has no successor to time it. */
	static final double LAST_FRAME_SEC = 1.0;

	private final Ffmpeg ffmpeg;

	RecordingExporter(VideoSettings settings) {
		this.ffmpeg = new Ffmpeg(settings.ffmpeg(), settings.ffprobe(), settings.timeoutSeconds() * 1000L);
	}

	byte[] export(List<ClipFrame> frames, Format format, String what) {
		if (frames.isEmpty()) {
			throw VideoProblem.undecodable(what + " has no recorded frames to export (0 frames)");
		}
		Path dir;
		try {
			dir = Files.createTempDirectory("sightline-export-");
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot create a temporary directory for the export", e);
		}
		try {
			Files.writeString(dir.resolve("frames.txt"), concatList(dir, frames));
			Path out = dir.resolve("recording." + format.extension());
			// Codecs want even sizes; screenshots may be odd. Constant 25 fps keeps players happy.
			List<String> output = new java.util.ArrayList<>(List.of("-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2,fps=25"));
			output.addAll(format.codec);
			output.add(out.toString());
			ffmpeg.encodeConcat(dir.resolve("frames.txt"), output, what);
			return Files.readAllBytes(out);
		}
		catch (InvalidVideoException e) {
			throw VideoProblem.undecodable("cannot encode " + what + ": " + e.getMessage());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the frames of " + what, e);
		}
		finally {
			UploadedVideos.delete(dir);
		}
	}

	/** The concat demuxer's script: each file with how long it shows; the last file repeated, as it requires. */
	static String concatList(Path dir, List<ClipFrame> frames) throws IOException {
		StringBuilder list = new StringBuilder("ffconcat version 1.0\n");
		for (int i = 0; i < frames.size(); i++) {
			Path file = dir.resolve(String.format(Locale.ROOT, "%06d.png", i));
			Files.write(file, frames.get(i).encoded());
			double duration = i + 1 < frames.size()
					? frames.get(i + 1).timestampSec() - frames.get(i).timestampSec() : LAST_FRAME_SEC;
			list.append("file '").append(file.getFileName()).append("'\n");
			list.append(String.format(Locale.ROOT, "duration %.6f\n", duration));
		}
		list.append("file '").append(String.format(Locale.ROOT, "%06d.png", frames.size() - 1)).append("'\n");
		return list.toString();
	}

}
