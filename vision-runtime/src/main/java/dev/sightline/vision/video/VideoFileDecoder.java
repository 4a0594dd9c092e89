package dev.sightline.vision.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * Video files (mp4/mov, webm/mkv, avi) to {@link ProcessedVideo}, sampled as qwen-vl-utils does. Decoding runs
 * ffprobe/ffmpeg through {@link Ffmpeg} (local files only, known demuxers, frame size checked before decoding); frames
 * come back as raw RGB through a pipe.
 */
public final class VideoFileDecoder {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final VideoProcessor processor;

	private final VideoSampling sampling;

	private final Ffmpeg ffmpeg;

	public VideoFileDecoder(VideoProcessor processor, VideoSampling sampling) {
		this(processor, sampling, "ffmpeg", "ffprobe", 120_000);
	}

	public VideoFileDecoder(VideoProcessor processor, VideoSampling sampling, String ffmpeg, String ffprobe,
			long timeoutMs) {
		this.processor = processor;
		this.sampling = sampling;
		this.ffmpeg = new Ffmpeg(ffmpeg, ffprobe, timeoutMs);
	}

	/** Stream facts ffprobe reports. */
	record Probe(String demuxer, int widthPx, int heightPx, int frames, double fps) {
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
		byte[] out = ffmpeg.probe(video, List.of("-select_streams", "v:0", "-count_packets", "-show_entries",
				"format=format_name:stream=width,height,avg_frame_rate,r_frame_rate,nb_read_packets", "-of", "json"),
				video.toString());
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
			String demuxer = Ffmpeg.demuxerOf(JSON.readTree(out).path("format").path("format_name").asText(),
					video.toString());
			Ffmpeg.checkFrameSize(s.path("width").asInt(), s.path("height").asInt(), video.toString());
			return new Probe(demuxer, s.path("width").asInt(), s.path("height").asInt(), frames, fps);
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
		byte[] raw = ffmpeg.decode(video, probe.demuxer(), List.of("-map", "0:v:0", "-vf", "select='" + select + "'",
				"-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"), video.toString());
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
