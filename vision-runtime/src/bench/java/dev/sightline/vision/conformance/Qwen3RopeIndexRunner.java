package dev.sightline.vision.conformance;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.qwen.config.SpecialTokenIds;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen3.Qwen3RopeIndex;
import dev.sightline.vision.weights.SafeTensorsFile;

/** Qwen3-VL {@code rope_index}: {@link Qwen3RopeIndex} on the case's ids, mask and grids; exact. */
final class Qwen3RopeIndexRunner implements CaseRunner {

	@Override
	public String kind() {
		return "rope_index";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) {
		JsonNode p = c.params();
		SpecialTokenIds tokens = new SpecialTokenIds(p.path("image_token_id").asInt(151655),
				p.path("video_token_id").asInt(151656), p.path("vision_start_token_id").asInt(151652),
				p.path("vision_end_token_id").asInt(151653));
		RopeIndex index;
		try (SafeTensorsFile inputs = SafeTensorsFile.open(c.file(dir, "inputs"))) {
			index = new Qwen3RopeIndex(tokens, p.path("spatial_merge_size").asInt(2)).compute(
					Golden.matrix(inputs, "input_ids"), Golden.matrix(inputs, "attention_mask"),
					Golden.grids(inputs, "image_grid_thw"), Golden.grids(inputs, "video_grid_thw"));
		}
		return RopeIndexRunner.compare(c, dir, index);
	}

}
