package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen3.prompt.FrameSampling;
import dev.sightline.vision.qwen3.prompt.VideoPlaceholders;
import dev.sightline.vision.qwen3.prompt.VideoTimestamps;
import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * {@code video_prompt}: frame sampling, per-patch timestamps and their text, the grid, the placeholder expansion of
 * the case's rendered prompt and its ids with the model's tokenizer (QWEN3_VL spec §5.1, §5.4).
 */
final class VideoPromptRunner implements CaseRunner {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Override
	public String kind() {
		return "video_prompt";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		JsonNode p = c.params();
		JsonNode expected = JSON.readTree(Files.readString(c.file(dir, "expected")));
		FrameSampling sampling = new FrameSampling(p.path("fps").isNumber() ? p.path("fps").asDouble() : 2,
				p.path("min_frames").asInt(4), p.path("max_frames").asInt(768));
		OptionalInt numFrames = p.path("num_frames").isNumber() ? OptionalInt.of(p.path("num_frames").asInt())
				: OptionalInt.empty();
		double videoFps = p.path("video_fps").asDouble();
		int[] indices = sampling.indices(p.path("total_num_frames").asInt(), videoFps, numFrames);
		int temporal = p.path("temporal_patch_size").asInt(2);
		int merge = p.path("merge_size").asInt(2);
		double[] times = new double[indices.length];
		for (int i = 0; i < indices.length; i++) {
			times[i] = indices[i] / videoFps;
		}
		double[] stamps = VideoTimestamps.perTemporalPatch(times, temporal);
		List<String> strings = new ArrayList<>();
		for (double stamp : stamps) {
			strings.add(VideoTimestamps.text(stamp));
		}
		JsonNode hw = p.path("frame_grid_hw");
		GridThw grid = new GridThw(stamps.length, hw.get(0).asInt(), hw.get(1).asInt());
		String expanded = VideoPlaceholders.expand(expected.path("prompt").asText(),
				List.of(new VideoPlaceholders.Video(grid, stamps)), merge);
		long[] ids;
		try (QwenTokenizer tokenizer = QwenTokenizer
			.load(Qwen3GoldenModels.directory(c, dir).resolve("tokenizer.json"))) {
			ids = tokenizer.encode(expanded);
		}
		List<Optional<String>> checks = new ArrayList<>();
		checks.add(Tolerance.compareExact("frames_indices", toLongs(indices),
				JSON.convertValue(expected.path("frames_indices"), long[].class)));
		checks.add(compareDoubles("timestamps", stamps,
				JSON.convertValue(expected.path("timestamps"), double[].class), 1e-9));
		checks.add(equal("timestamp_strings", strings, JSON.convertValue(expected.path("timestamp_strings"),
				JSON.getTypeFactory().constructCollectionType(List.class, String.class))));
		checks.add(Tolerance.compareExact("video_grid_thw", Golden.grid(grid),
				JSON.convertValue(expected.path("video_grid_thw"), long[].class)));
		checks.add(equal("expanded_text", expanded, expected.path("expanded_text").asText()));
		checks.add(Tolerance.compareExact("ids", ids, JSON.convertValue(expected.path("ids"), long[].class)));
		return CaseOutcome.of(checks);
	}

	private static Optional<String> equal(String name, Object actual, Object expected) {
		return actual.equals(expected) ? Optional.empty()
				: Optional.of(name + ": got " + actual + ", expected " + expected);
	}

	private static Optional<String> compareDoubles(String name, double[] actual, double[] expected, double atol) {
		if (actual.length != expected.length) {
			return Optional.of(name + ": " + actual.length + " values, expected " + expected.length);
		}
		for (int i = 0; i < actual.length; i++) {
			if (!(Math.abs(actual[i] - expected[i]) <= atol)) {
				return Optional.of(name + "[" + i + "]: " + actual[i] + " vs expected " + expected[i]);
			}
		}
		return Optional.empty();
	}

	private static long[] toLongs(int[] values) {
		long[] out = new long[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = values[i];
		}
		return out;
	}

}
