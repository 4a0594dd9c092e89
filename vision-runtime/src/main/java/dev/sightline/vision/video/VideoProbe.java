package dev.sightline.vision.video;

import java.io.IOException;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.video.InvalidVideoException.Kind;

/**
 * What ffprobe reports about a video's first video stream ({@link Ffmpeg#probeVideo}), read once for every caller.
 *
 * @param demuxer the one of {@link Ffmpeg#DEMUXERS} the container needs (decode with it, nothing else)
 * @param widthPx frame width, within {@link Ffmpeg#MAX_SIDE_PX} and {@link Ffmpeg#MAX_FRAME_PIXELS}
 * @param heightPx frame height, within the same ceilings
 * @param durationSec the container's duration; 0 when it reports none
 * @param fps the stream's average frame rate, else its base rate; 0 when it reports neither
 * @param frames frames in the stream, when they were counted ({@link Ffmpeg#probeVideoFrames}: a pass over the file)
 */
public record VideoProbe(String demuxer, int widthPx, int heightPx, double durationSec, double fps,
		OptionalInt frames) {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The {@code -show_entries} a probe asks for; {@code nb_read_packets} is added when packets are counted. */
	static final String ENTRIES = "format=format_name,duration:stream=width,height,avg_frame_rate,r_frame_rate";

	/**
	 * Reads ffprobe's JSON ({@code -of json}) about {@code what}: refuses a container outside {@link Ffmpeg#DEMUXERS}
	 * ({@link Kind#UNSUPPORTED_CONTAINER}), a frame size over the ceilings ({@link Kind#TOO_LARGE}), no video stream or
	 * unreadable JSON ({@link Kind#UNREADABLE}).
	 */
	public static VideoProbe read(byte[] json, String what) {
		JsonNode root;
		try {
			root = JSON.readTree(json);
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot read ffprobe's report on " + what + ": " + e.getMessage(), e);
		}
		if (root == null || !root.isObject()) {
			throw new InvalidVideoException("cannot read ffprobe's report on " + what + ": not a JSON object");
		}
		String demuxer = Ffmpeg.demuxerOf(root.path("format").path("format_name").asText(""), what);
		JsonNode stream = root.path("streams").path(0);
		if (stream.isMissingNode()) {
			throw new InvalidVideoException(what + " has no video stream");
		}
		int width = stream.path("width").asInt();
		int height = stream.path("height").asInt();
		Ffmpeg.checkFrameSize(width, height, what);
		double fps = rate(stream.path("avg_frame_rate").asText(""));
		if (!(fps > 0)) {
			fps = rate(stream.path("r_frame_rate").asText(""));
		}
		JsonNode packets = stream.path("nb_read_packets");
		OptionalInt frames = packets.isMissingNode() ? OptionalInt.empty() : OptionalInt.of(packets.asInt(0));
		return new VideoProbe(demuxer, width, height, root.path("format").path("duration").asDouble(0), fps, frames);
	}

	/** A rate as ffprobe writes it ({@code 30000/1001}, {@code 25/1}, {@code 0/0}); 0 when it is none. */
	static double rate(String fraction) {
		String[] parts = fraction.split("/");
		try {
			double num = Double.parseDouble(parts[0]);
			double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
			return den == 0 || !Double.isFinite(num / den) ? 0 : num / den;
		}
		catch (NumberFormatException e) {
			return 0;
		}
	}

}
