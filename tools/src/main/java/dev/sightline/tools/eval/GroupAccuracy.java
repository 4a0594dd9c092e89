package dev.sightline.tools.eval;

/**
 * Accuracy and latency of one slice of the results, e.g. {@code platform = web}.
 *
 * @param dimension what the slice is cut by: {@code overall}, {@code platform}, {@code element_type},
 * {@code setting}, {@code max_pixels} or {@code setting/max_pixels}
 * @param total runs in the slice; the denominator of {@code accuracy}, failed runs included
 * @param accuracy {@code hits / total}
 * @param p50LatencyMs nearest-rank median latency of the runs that reached the model (NaN when none did)
 * @param meanPromptTokens mean prompt tokens of those runs
 */
public record GroupAccuracy(String dimension, String value, int total, int hits, int misses, int wrongFormat,
		int errors, double accuracy, double p50LatencyMs, double p95LatencyMs, double meanPromptTokens,
		double meanOutputTokens) {

}
