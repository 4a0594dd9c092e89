package dev.sightline.vision.batching;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.sightline.vision.prefix.PrefixCacheStats;

/**
 * The scheduler's Prometheus metrics (served by the model server at {@code GET /metrics}): queue depth, running sequences, time to first token,
 * decode tokens/s per request, generated tokens and the batch size of each decode step.
 */
public final class SchedulerMetrics {

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final Timer timeToFirstToken;

	private final DistributionSummary decodeTokensPerSecond;

	private final DistributionSummary batchSize;

	private final Counter generatedTokens;

	private final Counter promptTokens;

	private Supplier<PrefixCacheStats> prefixCache;

	public SchedulerMetrics(String modelName) {
		registry.config().commonTags("model", modelName);
		timeToFirstToken = Timer.builder("sightline.model.time.to.first.token")
			.description("Time from a request's arrival (queueing included) to its first generated token")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(5))
			.maximumExpectedValue(Duration.ofMinutes(2))
			.register(registry);
		decodeTokensPerSecond = DistributionSummary.builder("sightline.model.decode.tokens.per.second")
			.description("Decode speed of each finished request, first token excluded")
			.publishPercentiles(0.5, 0.9)
			.register(registry);
		batchSize = DistributionSummary.builder("sightline.model.batch.size")
			.description("Sequences advanced by one decode step")
			.publishPercentiles(0.5, 0.9)
			.register(registry);
		generatedTokens = Counter.builder("sightline.model.generated.tokens")
			.description("Tokens generated, all requests")
			.register(registry);
		promptTokens = Counter.builder("sightline.model.prompt.tokens")
			.description("Prompt tokens processed, images included")
			.register(registry);
	}

	public void bindQueue(Supplier<Number> queueDepth, Supplier<Number> running) {
		Gauge.builder("sightline.model.queue.depth", queueDepth).description("Requests waiting for the model")
			.register(registry);
		Gauge.builder("sightline.model.running.sequences", running).description("Requests being generated")
			.register(registry);
	}

	/**
	 * Publishes a model's prefix cache: prompt tokens looked up and restored instead of prefilled, evicted blocks
	 * and bytes held (for the in-process models, whose cache sits behind their prefill).
	 */
	public void bindPrefixCache(Supplier<PrefixCacheStats> stats) {
		// Micrometer holds function meters' state weakly: kept here, it lives as long as the registry.
		prefixCache = stats;
		FunctionCounter.builder("sightline.model.prefix.cache.lookup.tokens", stats, s -> s.get().lookupTokens())
			.description("Prompt tokens of requests that looked up a cached prefix")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.hit.tokens", stats, s -> s.get().hitTokens())
			.description("Prompt tokens whose keys and values came from the prefix cache instead of a prefill")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.evictions", stats, s -> s.get().evictedBlocks())
			.description("KV blocks evicted from the prefix cache to stay within its budget")
			.register(registry);
		Gauge.builder("sightline.model.prefix.cache.bytes", stats, s -> s.get().bytes())
			.description("Bytes of KV blocks the prefix cache holds")
			.baseUnit("bytes")
			.register(registry);
	}

	public void firstToken(long sinceArrivalNanos) {
		timeToFirstToken.record(Duration.ofNanos(sinceArrivalNanos));
	}

	public void finished(int prompt, int generated, double decodeMs) {
		promptTokens.increment(prompt);
		generatedTokens.increment(generated);
		if (generated > 1 && decodeMs > 0) {
			decodeTokensPerSecond.record((generated - 1) / (decodeMs / 1000));
		}
	}

	public void step(int sequences) {
		batchSize.record(sequences);
	}

	public void request(String outcome) {
		Counter.builder("sightline.model.requests").description("Chat completion requests by outcome")
			.tag("outcome", outcome)
			.register(registry)
			.increment();
	}

	/** The text exposition format. */
	public String scrape() {
		return registry.scrape();
	}

}
