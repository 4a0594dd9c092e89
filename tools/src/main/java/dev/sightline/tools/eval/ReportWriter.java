package dev.sightline.tools.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes a finished run: {@code report.json} (run info + every slice), {@code results.csv} (one row per run) and the
 * human table; {@link MissesPage} writes {@code misses.html}.
 */
public final class ReportWriter {

	public static final String REPORT_JSON = "report.json";

	public static final String RESULTS_CSV = "results.csv";

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private static final List<String> CSV_COLUMNS = List.of("id", "max_pixels", "setting", "platform",
			"element_type", "outcome", "instruction", "image", "image_width_px", "image_height_px", "model_width_px",
			"model_height_px", "box_left_px", "box_top_px", "box_right_px", "box_bottom_px", "model_x_px",
			"model_y_px", "predicted_x_px", "predicted_y_px", "latency_ms", "prompt_tokens", "output_tokens",
			"error");

	private ReportWriter() {
	}

	public static void writeJson(Path file, RunInfo info, AccuracyReport report) throws IOException {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("run", info);
		root.put("overall", report.overall());
		root.put("groups", report.groups());
		JSON.writeValue(file.toFile(), root);
	}

	public static void writeCsv(Path file, List<ItemResult> results) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add(String.join(",", CSV_COLUMNS));
		for (ItemResult r : results) {
			List<Object> cells = List.of(r.id(), r.maxPixels(), r.setting(), r.platform(), r.elementType(),
					r.outcome(), r.instruction(), r.image(), r.imageWidthPx(), r.imageHeightPx(), r.modelWidthPx(),
					r.modelHeightPx(), r.boxLeftPx(), r.boxTopPx(), r.boxRightPx(), r.boxBottomPx(),
					orEmpty(r.modelXPx()), orEmpty(r.modelYPx()), orEmpty(r.predictedXPx()), orEmpty(r.predictedYPx()),
					String.format(Locale.ROOT, "%.1f", r.latencyMs()), r.promptTokens(), r.outputTokens(),
					orEmpty(r.error()));
			lines.add(String.join(",", cells.stream().map(c -> csv(String.valueOf(c))).toList()));
		}
		Files.write(file, lines, StandardCharsets.UTF_8);
	}

	/** The human table: one row per slice, overall first. */
	public static void printTable(PrintStream out, AccuracyReport report) {
		List<GroupAccuracy> rows = new ArrayList<>();
		rows.add(report.overall());
		rows.addAll(report.groups());
		int valueWidth = Math.max(5, rows.stream().mapToInt(g -> g.value().length()).max().orElse(0));
		String format = "%-18s  %-" + valueWidth + "s  %5s  %7s  %5s  %5s  %5s  %5s  %9s  %9s  %8s  %7s%n";
		out.printf(Locale.ROOT, format, "dimension", "value", "n", "acc %", "hit", "miss", "fmt", "err", "p50 ms",
				"p95 ms", "prompt", "output");
		for (GroupAccuracy g : rows) {
			out.printf(Locale.ROOT, format, g.dimension(), g.value(), g.total(),
					String.format(Locale.ROOT, "%.1f", g.accuracy() * 100), g.hits(), g.misses(), g.wrongFormat(),
					g.errors(), number(g.p50LatencyMs(), "%.0f"), number(g.p95LatencyMs(), "%.0f"),
					number(g.meanPromptTokens(), "%.0f"), number(g.meanOutputTokens(), "%.1f"));
		}
	}

	private static String number(double value, String format) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
	}

	private static Object orEmpty(Object value) {
		return value == null ? "" : value;
	}

	static String csv(String cell) {
		if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
			return cell;
		}
		return '"' + cell.replace("\"", "\"\"") + '"';
	}

}
