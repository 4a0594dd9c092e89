package dev.sightline.tools.eval;

import java.util.List;

/**
 * What was run, written at the top of {@code report.json} so published numbers say how to reproduce them.
 *
 * @param backend {@code openai} or {@code in-process}
 * @param model the served model name or checkpoint folder
 * @param profile the model profile the prompts, parsing and coordinates followed ({@code qwen2.5-vl}, ...)
 * @param data the set folder
 * @param maxPixels the budgets each item ran at
 * @param concurrency model calls in flight at once
 */
public record RunInfo(String backend, String model, String profile, String data, List<Long> maxPixels, int concurrency) {

	public RunInfo {
		maxPixels = List.copyOf(maxPixels);
	}

}
