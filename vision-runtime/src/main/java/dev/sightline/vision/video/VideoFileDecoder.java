package dev.sightline.vision.video;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * Video files (mp4/mov, webm/mkv, avi) to {@link ProcessedVideo}, sampled as qwen-vl-utils does. Decoding runs
 * ffprobe/ffmpeg through {@link Ffmpeg} (local files only, known demuxers, frame size checked before decoding); frames
 * come back as raw RGB through a pipe.
 */
public final class VideoFileDecoder {

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

	public ProcessedVideo process(Path video) {
		if (!Files.isRegularFile(video)) {
			throw new InvalidVideoException("video file " + video + " does not exist");
		}
		VideoProbe probe = probe(video);
		int total = probe.frames().orElseThrow();
		int n = sampling.frameCount(total, probe.fps());
		int[] indices = VideoSampling.frameIndices(total, n);
		List<RgbImage> frames = frames(video, probe, indices);
		double[] timestamps = new double[frames.size()];
		for (int i = 0; i < timestamps.length; i++) {
			timestamps[i] = indices[i] / probe.fps();
		}
		PixelBudget budget = new PixelBudget(sampling.minPixels(), sampling.frameMaxPixels(n));
		return processor.processDecoded(frames, timestamps, budget);
	}

	/** The stream's facts, its frames counted (sampling picks frame indices), refused when it has none. */
	VideoProbe probe(Path video) {
		VideoProbe probe = ffmpeg.probeVideoFrames(video, video.toString());
		int frames = probe.frames().orElse(0);
		if (frames < 1 || !(probe.fps() > 0)) {
			throw new InvalidVideoException(video + " has no frames (ffprobe: " + frames + " frames at " + probe.fps()
					+ " fps)");
		}
		return probe;
	}

	private List<RgbImage> frames(Path video, VideoProbe probe, int[] indices) {
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

}
