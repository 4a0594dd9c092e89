package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.InvalidImageException;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;
import dev.sightline.vision.qwen3.prompt.VideoSmartResize;

/**
 * {@code smart_resize_table}: every row through the image rule ({@link SmartResize}) or the video rule
 * ({@link VideoSmartResize}) with the case's factor; sizes exact, error rows must be refused.
 */
final class SmartResizeTableRunner implements CaseRunner {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Override
	public String kind() {
		return "smart_resize_table";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		int factor = c.params().path("factor").asInt(32);
		int temporalFactor = c.params().path("temporal_factor").asInt(2);
		JsonNode rows = JSON.readTree(Files.readString(c.file(dir, "expected"))).path("rows");
		if (rows.isEmpty()) {
			return CaseOutcome.failed("the table has no rows");
		}
		List<Optional<String>> checks = new ArrayList<>();
		int index = 0;
		for (JsonNode row : rows) {
			String name = "row " + index++ + " (" + row.path("kind").asText() + " " + row.path("width").asInt() + "x"
					+ row.path("height").asInt() + ")";
			ImageSize input = new ImageSize(row.path("width").asInt(), row.path("height").asInt());
			PixelBudget budget = new PixelBudget(row.path("min_pixels").asLong(), row.path("max_pixels").asLong());
			try {
				ImageSize out = "video".equals(row.path("kind").asText())
						? VideoSmartResize.fit(row.path("num_frames").asInt(), input, budget, factor, temporalFactor)
						: SmartResize.fit(input, budget, factor);
				checks.add(row.path("error").asBoolean()
						? Optional.of(name + ": accepted, the reference refuses (" + row.path("error_message").asText()
								+ ")")
						: Tolerance.compareExact(name, new long[] { out.heightPx(), out.widthPx() },
								new long[] { row.path("resized_height").asLong(), row.path("resized_width").asLong() }));
			}
			catch (InvalidImageException e) {
				checks.add(row.path("error").asBoolean() ? Optional.empty()
						: Optional.of(name + ": refused (" + e.getMessage() + ")"));
			}
		}
		return CaseOutcome.of(checks);
	}

}
