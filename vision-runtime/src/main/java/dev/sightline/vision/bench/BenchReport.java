package dev.sightline.vision.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The figures of one {@code ./sightline bench NAME} run, printed as a human table or, with {@code --json}, as one
 * JSON object per line ({@code {"bench", "case", "metric", "value", "unit"}}). Every benchmark of every module
 * reports through this class so the output format exists once.
 */
public final class BenchReport {

	/** One measured figure. */
	public record Row(String bench, String caseName, String metric, double value, String unit) {
	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private final String bench;

	private final List<Row> rows = new ArrayList<>();

	private final Map<String, String> settings = new LinkedHashMap<>();

	public BenchReport(String bench) {
		this.bench = bench;
	}

	public BenchReport add(String caseName, String metric, double value, String unit) {
		rows.add(new Row(bench, caseName, metric, value, unit));
		return this;
	}

	/** A non-numeric fact about the run (device, dtype policy), printed before the rows. */
	public BenchReport setting(String name, String value) {
		settings.put(name, value);
		return this;
	}

	public Map<String, String> settings() {
		return Map.copyOf(settings);
	}

	public List<Row> rows() {
		return List.copyOf(rows);
	}

	/** Runs {@code work} {@code warmups} times unmeasured (JIT), then {@code repeats} times; returns ms per run. */
	public static double[] timeMs(int warmups, int repeats, Runnable work) {
		if (repeats < 1) {
			throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
		}
		for (int i = 0; i < warmups; i++) {
			work.run();
		}
		double[] ms = new double[repeats];
		for (int i = 0; i < repeats; i++) {
			long start = System.nanoTime();
			work.run();
			ms[i] = (System.nanoTime() - start) / 1e6;
		}
		return ms;
	}

	public static double median(double[] values) {
		return percentile(values, 50);
	}

	/** Nearest-rank percentile (p in [0, 100]) of a non-empty sample. */
	public static double percentile(double[] values, double p) {
		if (values.length == 0) {
			throw new IllegalArgumentException("percentile of an empty sample");
		}
		if (p < 0 || p > 100) {
			throw new IllegalArgumentException("percentile must be within [0, 100], got " + p);
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		if (p == 50 && sorted.length % 2 == 0) {
			// The classic median of an even sample: mean of the two middle values.
			return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
		}
		int rank = (int) Math.ceil(p / 100 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	public void print(PrintStream out, boolean json) {
		if (json) {
			settings.forEach((name, value) -> out.println(settingJson(name, value)));
			rows.forEach(row -> out.println(toJson(row)));
			return;
		}
		int caseWidth = Math.max(4, rows.stream().mapToInt(r -> r.caseName().length()).max().orElse(0));
		int metricWidth = Math.max(6, rows.stream().mapToInt(r -> r.metric().length()).max().orElse(0));
		String format = "%-" + caseWidth + "s  %-" + metricWidth + "s  %14s  %s%n";
		out.printf(Locale.ROOT, "bench %s%n", bench);
		settings.forEach((name, value) -> out.printf(Locale.ROOT, "%s: %s%n", name, value));
		out.printf(Locale.ROOT, format, "case", "metric", "value", "unit");
		for (Row row : rows) {
			out.printf(Locale.ROOT, format, row.caseName(), row.metric(), formatValue(row.value()), row.unit());
		}
	}

	private String settingJson(String name, String value) {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("bench", bench);
		object.put("setting", name);
		object.put("value", value);
		try {
			return JSON.writeValueAsString(object);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("cannot encode bench setting " + name, e);
		}
	}

	static String toJson(Row row) {
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("bench", row.bench());
		object.put("case", row.caseName());
		object.put("metric", row.metric());
		object.put("value", row.value());
		object.put("unit", row.unit());
		try {
			return JSON.writeValueAsString(object);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("cannot encode bench row " + row, e);
		}
	}

	private static String formatValue(double value) {
		if (value == Math.rint(value) && Math.abs(value) < 1e12) {
			return String.format(Locale.ROOT, "%.0f", value);
		}
		return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3f", value);
	}

}
