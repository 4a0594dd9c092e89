package dev.sightline.agent.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per tenant: {@code perMinute} requests a minute, refilled continuously, bursts up to the same. */
public final class RateLimiter implements TenantRateLimiter {

	private final class Bucket {

		private double tokens = perMinute;

		private long lastNanos = clock.getAsLong();

		/** 0 when a request may proceed, else seconds until it may. */
		synchronized long take() {
			long now = clock.getAsLong();
			tokens = Math.min(perMinute, tokens + (now - lastNanos) * perMinute / 60e9);
			lastNanos = now;
			if (tokens >= 1) {
				tokens -= 1;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((1 - tokens) * 60 / perMinute));
		}

	}

	private final int perMinute;

	private final LongSupplier clock;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	public RateLimiter(int perMinute, LongSupplier nanoClock) {
		if (perMinute < 1) {
			throw new IllegalArgumentException("requests per minute must be at least 1, got " + perMinute);
		}
		this.perMinute = perMinute;
		this.clock = nanoClock;
	}

	@Override
	public long acquire(String tenant) {
		return buckets.computeIfAbsent(tenant, t -> new Bucket()).take();
	}

}
