package dev.sightline.vision.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * Video files (mp4, webm, anything FFmpeg reads) to {@link ProcessedVideo}, sampled as qwen-vl-utils does. Decoding
 * runs Debian's {@code ffprobe}/{@code ffmpeg} binaries (the launcher installs them): a maintained decoder for every
 * codec without 100+ MB of bundled natives; frames come back as raw RGB through a pipe.
 */
public final class VideoFileDecoder {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final VideoProcessor processor;

	private final VideoSampling sampling;

	private final String ffmpeg;

	private final String ffprobe;

	private final long timeoutMs;

	public VideoFileDecoder(VideoProcessor processor, VideoSampling sampling) {
		this(processor, sampling, "ffmpeg", "ffprobe", 120_000);
	}

	public VideoFileDecoder(VideoProcessor processor, VideoSampling sampling, String ffmpeg, String ffprobe,
			long timeoutMs) {
		this.processor = processor;
		this.sampling = sampling;
		this.ffmpeg = ffmpeg;
		this.ffprobe = ffprobe;
		this.timeoutMs = timeoutMs;
	}

	/** Stream facts ffprobe reports. */
	record Probe(int widthPx, int heightPx, int frames, double fps) {
	}

	public ProcessedVideo process(Path video) {
		if (!Files.isRegularFile(video)) {
			throw new InvalidVideoException("video file " + video + " does not exist");
		}
		Probe probe = probe(video);
		int n = sampling.frameCount(probe.frames(), probe.fps());
		int[] indices = VideoSampling.frameIndices(probe.frames(), n);
		List<RgbImage> frames = frames(video, probe, indices);
		double[] timestamps = new double[frames.size()];
		for (int i = 0; i < timestamps.length; i++) {
			timestamps[i] = indices[i] / probe.fps();
		}
		PixelBudget budget = new PixelBudget(sampling.minPixels(), sampling.frameMaxPixels(n));
		return processor.processDecoded(frames, timestamps, budget);
	}

	Probe probe(Path video) {
		byte[] out = run(List.of(ffprobe, "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
				"stream=width,height,avg_frame_rate,r_frame_rate,nb_read_packets", "-of", "json", video.toString()),
				video);
		try {
			JsonNode streams = JSON.readTree(out).path("streams");
			if (streams.isEmpty()) {
				throw new InvalidVideoException(video + " has no video stream");
			}
			JsonNode s = streams.get(0);
			double fps = rate(s.path("avg_frame_rate").asText());
			if (!(fps > 0)) {
				fps = rate(s.path("r_frame_rate").asText());
			}
			int frames = s.path("nb_read_packets").asInt(0);
			if (frames < 1 || !(fps > 0)) {
				throw new InvalidVideoException(video + " has no frames (ffprobe: " + frames + " frames at " + fps
						+ " fps)");
			}
			return new Probe(s.path("width").asInt(), s.path("height").asInt(), frames, fps);
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot parse ffprobe output for " + video + ": " + e.getMessage(), e);
		}
	}

	private List<RgbImage> frames(Path video, Probe probe, int[] indices) {
		StringBuilder select = new StringBuilder();
		for (int index : indices) {
			select.append(select.isEmpty() ? "" : "+").append("eq(n\\,").append(index).append(')');
		}
		byte[] raw = run(List.of(ffmpeg, "-v", "error", "-i", video.toString(), "-map", "0:v:0", "-vf",
				"select='" + select + "'", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24",
				"pipe:1"), video);
		int frameBytes = probe.widthPx() * probe.heightPx() * 3;
		int count = raw.length / frameBytes;
		if (count == 0 || raw.length % frameBytes != 0) {
			throw new InvalidVideoException("ffmpeg returned " + raw.length + " bytes for " + video + ", not a whole "
					+ "number of " + probe.widthPx() + "x" + probe.heightPx() + " RGB frames");
		}
		if (count != indices.length) {
			throw new InvalidVideoException("ffmpeg returned " + count + " frames of " + video + ", expected "
					+ indices.length + " (the file may be truncated)");
		}
		List<RgbImage> frames = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			byte[] rgb = java.util.Arrays.copyOfRange(raw, i * frameBytes, (i + 1) * frameBytes);
			frames.add(RgbImage.of(rgb, probe.widthPx(), probe.heightPx()));
		}
		return frames;
	}

	private byte[] run(List<String> command, Path video) {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot start " + command.get(0) + " to decode " + video
					+ " (install ffmpeg): " + e.getMessage(), e);
		}
		try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
			Thread.ofVirtual().start(() -> drain(stderr));
			byte[] out = stdout.readAllBytes();
			if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new InvalidVideoException(command.get(0) + " took longer than " + timeoutMs + " ms on " + video);
			}
			if (process.exitValue() != 0) {
				throw new InvalidVideoException(command.get(0) + " cannot decode " + video + " (exit "
						+ process.exitValue() + ")");
			}
			return out;
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot read " + command.get(0) + " output for " + video, e);
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new InvalidVideoException("interrupted while decoding " + video, e);
		}
	}

	private static void drain(InputStream in) {
		try {
			in.transferTo(java.io.OutputStream.nullOutputStream());
		}
		catch (IOException ignored) {
			// The exit code reports failure; stderr is only drained so ffmpeg never blocks on a full pipe.
		}
	}

	private static double rate(String fraction) {
		String[] parts = fraction.split("/");
		try {
			double num = Double.parseDouble(parts[0]);
			double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
			return den == 0 ? 0 : num / den;
		}
		catch (NumberFormatException e) {
			return 0;
		}
	}

}
