package dev.sightline.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.sightline.vision.bench.BenchReport;

/**
 * Accuracy of a run, overall and cut by platform, element type, capture setting, pixel budget and setting ×
 * budget: the last cut is where a coordinate-mapping bug shows, as a drop at one setting only.
 */
public record AccuracyReport(GroupAccuracy overall, List<GroupAccuracy> groups) {

	public AccuracyReport {
		groups = List.copyOf(groups);
	}

	public static AccuracyReport of(List<ItemResult> results) {
		if (results.isEmpty()) {
			throw new IllegalArgumentException("no results to report on");
		}
		List<GroupAccuracy> groups = new ArrayList<>();
		groups.addAll(cut("platform", results, ItemResult::platform));
		groups.addAll(cut("element_type", results, ItemResult::elementType));
		groups.addAll(cut("setting", results, ItemResult::setting));
		groups.addAll(cut("max_pixels", results, r -> String.valueOf(r.maxPixels())));
		groups.addAll(cut("setting/max_pixels", results, r -> r.setting() + " / " + r.maxPixels()));
		return new AccuracyReport(stats("overall", "all", results), groups);
	}

	/** The slices of one dimension, sorted by value. */
	public List<GroupAccuracy> dimension(String dimension) {
		return groups.stream().filter(g -> g.dimension().equals(dimension)).toList();
	}

	public GroupAccuracy group(String dimension, String value) {
		return groups.stream()
			.filter(g -> g.dimension().equals(dimension) && g.value().equals(value))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no slice " + dimension + " = " + value));
	}

	private static List<GroupAccuracy> cut(String dimension, List<ItemResult> results,
			Function<ItemResult, String> key) {
		Map<String, List<ItemResult>> slices = new TreeMap<>();
		for (ItemResult result : results) {
			slices.computeIfAbsent(key.apply(result), k -> new ArrayList<>()).add(result);
		}
		return slices.entrySet().stream().map(e -> stats(dimension, e.getKey(), e.getValue())).toList();
	}

	static GroupAccuracy stats(String dimension, String value, List<ItemResult> results) {
		int hits = 0;
		int misses = 0;
		int wrongFormat = 0;
		int errors = 0;
		for (ItemResult result : results) {
			switch (result.outcome()) {
				case HIT -> hits++;
				case MISS -> misses++;
				case WRONG_FORMAT -> wrongFormat++;
				case ERROR -> errors++;
			}
		}
		List<ItemResult> answered = results.stream().filter(r -> r.outcome() != Outcome.ERROR).toList();
		double[] latencies = answered.stream().mapToDouble(ItemResult::latencyMs).toArray();
		double p50 = latencies.length == 0 ? Double.NaN : BenchReport.percentile(latencies, 50);
		double p95 = latencies.length == 0 ? Double.NaN : BenchReport.percentile(latencies, 95);
		double promptTokens = answered.stream().mapToInt(ItemResult::promptTokens).average().orElse(Double.NaN);
		double outputTokens = answered.stream().mapToInt(ItemResult::outputTokens).average().orElse(Double.NaN);
		return new GroupAccuracy(dimension, value, results.size(), hits, misses, wrongFormat, errors,
				(double) hits / results.size(), p50, p95, promptTokens, outputTokens);
	}

}
