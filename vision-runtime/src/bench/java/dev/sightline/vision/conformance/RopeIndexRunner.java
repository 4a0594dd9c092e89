package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.weights.SafeTensorsFile;

/** {@code rope_index}: {@link MRopePositions} on the case's ids, mask and grids; positions and deltas exact. */
final class RopeIndexRunner implements CaseRunner {

	@Override
	public String kind() {
		return "rope_index";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) {
		JsonNode p = c.params();
		MRopePositions rope = new MRopePositions(p.path("image_token_id").asInt(), p.path("video_token_id").asInt(),
				p.path("vision_start_token_id").asInt(), p.path("spatial_merge_size").asInt(2),
				p.path("tokens_per_second").asDouble());
		RopeIndex index;
		try (SafeTensorsFile inputs = SafeTensorsFile.open(c.file(dir, "inputs"))) {
			float[] secondPerGridTs = inputs.contains("second_per_grid_ts") ? inputs.floats("second_per_grid_ts")
					: null;
			index = rope.compute(Golden.matrix(inputs, "input_ids"), Golden.matrix(inputs, "attention_mask"),
					Golden.grids(inputs, "image_grid_thw"), Golden.grids(inputs, "video_grid_thw"), secondPerGridTs);
		}
		return compare(c, dir, index);
	}

	/** Positions and deltas of either family's rope index against the case's expected ones, exactly. */
	static CaseOutcome compare(GoldenCase c, Path dir, RopeIndex index) {
		try (SafeTensorsFile expected = SafeTensorsFile.open(c.file(dir, "expected"))) {
			return CaseOutcome.of(List.of(
					Tolerance.compareExact("position_ids", flatten(index.positionIds()),
							expected.longs("position_ids")),
					Tolerance.compareExact("rope_deltas", index.ropeDeltas(), expected.longs("rope_deltas"))));
		}
	}

	private static long[] flatten(long[][][] positions) {
		return java.util.Arrays.stream(positions).flatMap(java.util.Arrays::stream)
			.flatMapToLong(java.util.Arrays::stream).toArray();
	}

}
