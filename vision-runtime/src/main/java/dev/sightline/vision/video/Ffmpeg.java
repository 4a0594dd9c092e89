package dev.sightline.vision.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Runs Debian's {@code ffmpeg}/{@code ffprobe} (the launcher installs them): one maintained decoder and encoder for
 * every container and codec, without bundled natives. Every file it reads is opened as a local file only
 * ({@code -protocol_whitelist file}, input named {@code file:PATH}, so a playlist or a crafted name cannot reach the
 * network or another protocol), probed with only the {@link #DEMUXERS} enabled, and decoded with the demuxer the probe
 * named; frame sizes are checked from the probe before decoding ({@link #checkFrameSize}). Failures are
 * {@link InvalidVideoException}s carrying the tool's last error line.
 */
public final class Ffmpeg {

	/** The demuxers a video may use: mp4/mov, mkv/webm, avi. Playlists (hls, concat) and images are not among them. */
	public static final List<String> DEMUXERS = List.of("mov", "matroska", "avi");

	/** Longest frame side decoded, in pixels. */
	public static final int MAX_SIDE_PX = 8192;

	/** Most pixels a decoded frame may have: 8K (7680×4320). */
	public static final long MAX_FRAME_PIXELS = 7680L * 4320;

	private final String ffmpeg;

	private final String ffprobe;

	private final long timeoutMs;

	public Ffmpeg(String ffmpeg, String ffprobe, long timeoutMs) {
		this.ffmpeg = ffmpeg;
		this.ffprobe = ffprobe;
		this.timeoutMs = timeoutMs;
	}

	/** {@code ffprobe -v error} on a local file with only {@link #DEMUXERS} enabled; {@code show} names what to report. */
	public byte[] probe(Path video, List<String> show, String what) {
		List<String> command = new ArrayList<>(List.of(ffprobe, "-v", "error"));
		command.addAll(localInput(video, null));
		command.addAll(show);
		return run(command, what);
	}

	/**
	 * What ffprobe reports about the first video stream of a local file (container, frame size, duration, frame
	 * rate), checked against {@link #DEMUXERS} and the frame ceilings; {@code what} names the file in messages.
	 */
	public VideoProbe probeVideo(Path video, String what) {
		return probeVideo(video, false, what);
	}

	/** As {@link #probeVideo}, with the stream's frames counted: ffprobe reads every packet, so it costs a pass. */
	public VideoProbe probeVideoFrames(Path video, String what) {
		return probeVideo(video, true, what);
	}

	private VideoProbe probeVideo(Path video, boolean countFrames, String what) {
		List<String> show = new ArrayList<>(List.of("-select_streams", "v:0"));
		if (countFrames) {
			show.add("-count_packets");
		}
		show.addAll(List.of("-show_entries", VideoProbe.ENTRIES + (countFrames ? ",nb_read_packets" : ""), "-of",
				"json"));
		byte[] report;
		try {
			report = probe(video, show, what);
		}
		catch (InvalidVideoException e) {
			throw new InvalidVideoException(what + " is corrupt or not a video: " + e.getMessage(), e);
		}
		return VideoProbe.read(report, what);
	}

	/**
	 * {@code ffmpeg} decoding a local file with the demuxer its probe reported ({@link #demuxerOf}); {@code output}
	 * holds the output options and target.
	 */
	public byte[] decode(Path video, String demuxer, List<String> output, String what) {
		List<String> command = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-nostdin"));
		command.addAll(localInput(video, demuxer));
		command.addAll(output);
		return run(command, what);
	}

	/**
	 * {@code ffmpeg} encoding from a concat list of local files the caller wrote ({@code -f concat}, files only).
	 */
	public byte[] encodeConcat(Path list, List<String> output, String what) {
		List<String> command = new ArrayList<>(List.of(ffmpeg, "-v", "error", "-nostdin", "-protocol_whitelist",
				"file", "-f", "concat", "-safe", "0", "-i", "file:" + list.toAbsolutePath()));
		command.addAll(output);
		return run(command, what);
	}

	private static List<String> localInput(Path video, @Nullable String demuxer) {
		List<String> input = new ArrayList<>(List.of("-protocol_whitelist", "file"));
		if (demuxer == null) {
			input.addAll(List.of("-format_whitelist", String.join(",", DEMUXERS)));
		}
		else {
			input.addAll(List.of("-f", demuxer));
		}
		input.addAll(List.of("-i", "file:" + video.toAbsolutePath()));
		return input;
	}

	/** The demuxer of a probed {@code format_name} (aliases, comma-separated), one of {@link #DEMUXERS}. */
	public static String demuxerOf(String formatName, String what) {
		for (String name : formatName.toLowerCase(Locale.ROOT).split(",")) {
			if (name.equals("mov") || name.equals("mp4")) {
				return "mov";
			}
			if (name.equals("matroska") || name.equals("webm")) {
				return "matroska";
			}
			if (name.equals("avi")) {
				return "avi";
			}
		}
		throw new InvalidVideoException(InvalidVideoException.Kind.UNSUPPORTED_CONTAINER, what + " is '" + formatName
				+ "'; supported containers are mp4/mov, webm/mkv and avi");
	}

	/** Refuses a frame size the probe reported before any frame is decoded. */
	public static void checkFrameSize(int widthPx, int heightPx, String what) {
		if (widthPx <= 0 || heightPx <= 0) {
			throw new InvalidVideoException(what + " reports a frame size of " + widthPx + "x" + heightPx);
		}
		if (widthPx > MAX_SIDE_PX || heightPx > MAX_SIDE_PX || (long) widthPx * heightPx > MAX_FRAME_PIXELS) {
			throw new InvalidVideoException(InvalidVideoException.Kind.TOO_LARGE,
					what + " has " + widthPx + "x" + heightPx + " frames, more than the ceiling"
					+ " of " + MAX_SIDE_PX + " px a side and " + MAX_FRAME_PIXELS + " pixels (8K)");
		}
	}

	/** Stdout of {@code command}; throws with {@code what} and the tool's last error line when it fails. */
	byte[] run(List<String> command, String what) {
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (IOException e) {
			throw new InvalidVideoException(
					"cannot start " + command.get(0) + " for " + what + " (install ffmpeg): " + e.getMessage(), e);
		}
		StringBuilder errors = new StringBuilder();
		try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
			process.getOutputStream().close();
			// Drained on its own thread so ffmpeg never blocks on a full stderr pipe.
			Thread drain = Thread.ofVirtual().start(() -> collect(stderr, errors));
			byte[] out = stdout.readAllBytes();
			if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new InvalidVideoException(command.get(0) + " took longer than " + timeoutMs + " ms on " + what);
			}
			drain.join(1000);
			if (process.exitValue() != 0) {
				String error;
				synchronized (errors) {
					error = lastLine(errors.toString());
				}
				throw new InvalidVideoException(command.get(0) + " cannot process " + what + ": " + error);
			}
			return out;
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot read " + command.get(0) + " output for " + what, e);
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new InvalidVideoException("interrupted while processing " + what, e);
		}
	}

	private static void collect(InputStream in, StringBuilder errors) {
		try {
			byte[] bytes = in.readAllBytes();
			synchronized (errors) {
				errors.append(new String(bytes, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ignored) {
			try {
				in.transferTo(OutputStream.nullOutputStream());
			}
			catch (IOException alsoIgnored) {
				// The exit code still reports the failure.
			}
		}
	}

	private static String lastLine(String text) {
		String[] lines = text.strip().split("\n");
		String last = lines[lines.length - 1].strip();
		return last.isEmpty() ? "exit code non-zero, no message" : last;
	}

}
