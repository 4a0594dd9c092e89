package dev.sightline.vision.batching;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.sightline.vision.prefix.PrefixCacheStats;

/**
 * The scheduler's metrics: queue depth, running sequences, time to first token, decode tokens/s per request,
 * generated tokens, the batch size of each step (as a histogram) and the decode gap (how long running decodes
 * waited for their next token). The model server serves its own registry at {@code GET /metrics}; agent-service
 * hands in Spring's, so they appear at {@code /actuator/prometheus} beside the service's own.
 */
public final class SchedulerMetrics {

	/** Batch sizes the histogram counts up to: powers of two up to the largest runtime batch. */
	private static final double[] BATCH_SIZE_BUCKETS = { 1, 2, 4, 8, 16, 32, 64 };

	private final MeterRegistry registry;

	private final Tags tags;

	private final Timer decodeGap;

	private volatile Supplier<Number> queueDepth = () -> 0;

	private volatile Supplier<Number> running = () -> 0;

	private final Timer timeToFirstToken;

	private final DistributionSummary decodeTokensPerSecond;

	private final DistributionSummary batchSize;

	private final Counter generatedTokens;

	private final Counter promptTokens;

	private final Counter promptPrefilledTokens;

	private Supplier<PrefixCacheStats> prefixCache;

	/** Metrics in a registry of their own, which {@link #scrape()} serves (the model server). */
	public SchedulerMetrics(String modelName) {
		this(modelName, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
	}

	/** Metrics in {@code registry}, each tagged with {@code model}. */
	public SchedulerMetrics(String modelName, MeterRegistry registry) {
		this.registry = registry;
		this.tags = Tags.of("model", modelName);
		timeToFirstToken = Timer.builder("sightline.model.time.to.first.token")
			.tags(tags)
			.description("Time from a request's arrival (queueing included) to its first generated token")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(5))
			.maximumExpectedValue(Duration.ofMinutes(2))
			.register(registry);
		decodeTokensPerSecond = DistributionSummary.builder("sightline.model.decode.tokens.per.second")
			.description("Decode speed of each finished request, first token excluded")
			.tags(tags)
			.publishPercentiles(0.5, 0.9)
			.register(registry);
		batchSize = DistributionSummary.builder("sightline.model.batch.size")
			.description("Sequences advanced by one decode step")
			.tags(tags)
			.serviceLevelObjectives(BATCH_SIZE_BUCKETS)
			.register(registry);
		decodeGap = Timer.builder("sightline.model.decode.gap")
			.description("Time running decodes waited for their next token: one step, with any admission or vision "
					+ "chunk scheduled before it")
			.tags(tags)
			.publishPercentiles(0.5, 0.9, 0.99)
			.serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
					Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5))
			.register(registry);
		generatedTokens = Counter.builder("sightline.model.generated.tokens")
			.description("Tokens generated, all requests")
			.tags(tags)
			.register(registry);
		promptTokens = Counter.builder("sightline.model.prompt.tokens")
			.description("Prompt tokens processed, images included")
			.tags(tags)
			.register(registry);
		promptPrefilledTokens = Counter.builder("sightline.model.prompt.prefilled.tokens")
			.description("Prompt tokens the model computed: the prompt tokens less those reused from the prefix cache "
					+ "or from another choice of the same request (n > 1)")
			.tags(tags)
			.register(registry);
	}

	public void bindQueue(Supplier<Number> queueDepth, Supplier<Number> running) {
		this.queueDepth = queueDepth;
		this.running = running;
		Gauge.builder("sightline.model.queue.depth", queueDepth).description("Requests waiting for the model")
			.tags(tags)
			.register(registry);
		Gauge.builder("sightline.model.running.sequences", running).description("Requests being generated")
			.tags(tags)
			.register(registry);
	}

	/** How long running decodes waited between two tokens, once per step that gave them one. */
	public void decodeGap(long nanos) {
		decodeGap.record(nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * The figures a dashboard shows, as of now.
	 *
	 * @param queueDepth requests waiting for the model
	 * @param running requests being generated
	 * @param steps steps run so far
	 * @param batchSizeMean sequences per step on average
	 * @param batchSizeMax most sequences in one step lately
	 * @param decodeGapMeanMs mean wait of running decodes for their next token
	 * @param decodeGapMaxMs longest such wait lately
	 * @param timeToFirstTokenMeanMs mean time from arrival to first token
	 * @param generatedTokens tokens generated so far
	 */
	public record Snapshot(int queueDepth, int running, long steps, double batchSizeMean, double batchSizeMax,
			double decodeGapMeanMs, double decodeGapMaxMs, double timeToFirstTokenMeanMs, long generatedTokens) {
	}

	public Snapshot snapshot() {
		return new Snapshot(queueDepth.get().intValue(), running.get().intValue(), batchSize.count(), batchSize.mean(),
				batchSize.max(), decodeGap.mean(TimeUnit.MILLISECONDS), decodeGap.max(TimeUnit.MILLISECONDS),
				timeToFirstToken.mean(TimeUnit.MILLISECONDS), (long) generatedTokens.count());

	}

	/**
	 * Publishes a model's prefix cache: prompt tokens looked up and restored instead of prefilled, evicted blocks
	 * and bytes held (for the in-process models, whose cache sits behind their prefill).
	 */
	public void bindPrefixCache(Supplier<PrefixCacheStats> stats) {
		// Micrometer holds function meters' state weakly: kept here, it lives as long as the registry.
		prefixCache = stats;
		FunctionCounter.builder("sightline.model.prefix.cache.lookup.tokens", stats, s -> s.get().lookupTokens())
			.tags(tags)
			.description("Prompt tokens of requests that looked up a cached prefix")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.hit.tokens", stats, s -> s.get().hitTokens())
			.tags(tags)
			.description("Prompt tokens whose keys and values came from the prefix cache instead of a prefill")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.evictions", stats, s -> s.get().evictedBlocks())
			.tags(tags)
			.description("KV blocks evicted from the prefix cache to stay within its budget")
			.register(registry);
		Gauge.builder("sightline.model.prefix.cache.bytes", stats, s -> s.get().bytes())
			.tags(tags)
			.description("Bytes of KV blocks the prefix cache holds")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.reused.images", stats, s -> s.get().reusedImages())
			.tags(tags)
			.description("Images whose vision features came from the prefix cache instead of the vision tower")
			.register(registry);
		Gauge.builder("sightline.model.prefix.cache.feature.bytes", stats, s -> s.get().featureBytes())
			.tags(tags)
			.description("Bytes of vision features the prefix cache holds")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("sightline.model.prefix.cache.memoized.images", stats, s -> s.get().memoizedImages())
			.tags(tags)
			.description("Encoded images whose decode and resize were skipped: the same bytes were processed before")
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

	/**
	 * Prompt tokens the model computed for a finished request: its prompt less what it reused (prefix cache, or
	 * another choice's prompt when {@code n} > 1).
	 */
	public void prefilled(int tokens) {
		promptPrefilledTokens.increment(tokens);
	}

	public void step(int sequences) {
		batchSize.record(sequences);
	}

	public void request(String outcome) {
		Counter.builder("sightline.model.requests").description("Chat completion requests by outcome")
			.tags(tags)
			.tag("outcome", outcome)
			.register(registry)
			.increment();
	}

	/** The text exposition format, of metrics in a registry of their own. */
	public String scrape() {
		if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
			throw new IllegalStateException("these scheduler metrics live in the application's registry; scrape that");
		}
		return prometheus.scrape();
	}

}
