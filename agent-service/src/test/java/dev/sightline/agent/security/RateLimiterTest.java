package dev.sightline.agent.security;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

	private final AtomicLong nanos = new AtomicLong();

	@Test
	void allowsABurstUpToTheLimitThenNamesTheWait() {
		RateLimiter limiter = new RateLimiter(3, nanos::get);

		assertThat(limiter.acquire("alice")).isZero();
		assertThat(limiter.acquire("alice")).isZero();
		assertThat(limiter.acquire("alice")).isZero();
		assertThat(limiter.acquire("alice")).isEqualTo(20);
	}

	@Test
	void refillsOverTime() {
		RateLimiter limiter = new RateLimiter(60, nanos::get);
		for (int i = 0; i < 60; i++) {
			assertThat(limiter.acquire("alice")).isZero();
		}
		assertThat(limiter.acquire("alice")).isEqualTo(1);

		nanos.addAndGet(1_000_000_000L);

		assertThat(limiter.acquire("alice")).isZero();
	}

	@Test
	void countsEachTenantApart() {
		RateLimiter limiter = new RateLimiter(1, nanos::get);

		assertThat(limiter.acquire("alice")).isZero();
		assertThat(limiter.acquire("bob")).isZero();
		assertThat(limiter.acquire("alice")).isPositive();
	}

}
