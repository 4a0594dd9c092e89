package dev.sightline.agent.idempotency;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.sightline.agent.redis.RedisSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both key stores against the real thing (H2 with the service's migrations, a real Redis): a claim is atomic under
 * concurrency, keys are per tenant, only the claimant frees a key, and keys expire after 24 h.
 */
class IdempotencyKeysIT {

	static RedisSupport redis;

	static StringRedisTemplate template;

	static JdbcClient jdbc;

	@BeforeAll
	static void start() {
		redis = RedisSupport.start();
		template = redis.template();
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:idem-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(h2).load().migrate();
		jdbc = JdbcClient.create(h2);
	}

	@AfterAll
	static void stop() {
		RedisSupport.close(template);
		redis.close();
	}

	static Stream<IdempotencyKeys> stores() {
		return Stream.of(new JdbcIdempotencyKeys(jdbc),
				new RedisIdempotencyKeys(template, "idem-it-" + System.nanoTime()));
	}

	@ParameterizedTest
	@MethodSource("stores")
	void ofManyConcurrentClaimsOfOneKeyExactlyOneWins(IdempotencyKeys keys) throws Exception {
		int n = 16;
		CountDownLatch go = new CountDownLatch(1);
		List<Future<IdempotencyKeys.Claim>> claims = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(n)) {
			for (int i = 0; i < n; i++) {
				String taskId = "task-" + i;
				Callable<IdempotencyKeys.Claim> claim = () -> {
					go.await();
					return keys.claim("acme", "key-race", "a".repeat(64), taskId);
				};
				claims.add(threads.submit(claim));
			}
			go.countDown();
		}
		List<IdempotencyKeys.Claim> results = new ArrayList<>();
		for (Future<IdempotencyKeys.Claim> claim : claims) {
			results.add(claim.get());
		}
		assertThat(results).filteredOn(IdempotencyKeys.Claimed.class::isInstance).hasSize(1);
		assertThat(results).filteredOn(IdempotencyKeys.Held.class::isInstance)
			.hasSize(n - 1)
			.extracting(claim -> ((IdempotencyKeys.Held) claim).taskId())
			.containsOnly(((IdempotencyKeys.Held) keys.claim("acme", "key-race", "b".repeat(64), "late")).taskId());
	}

	@ParameterizedTest
	@MethodSource("stores")
	void keysArePerTenantAndOnlyTheClaimantFreesOne(IdempotencyKeys keys) {
		assertThat(keys.claim("acme", "k1", "a".repeat(64), "t1")).isInstanceOf(IdempotencyKeys.Claimed.class);
		assertThat(keys.claim("globex", "k1", "a".repeat(64), "t2")).isInstanceOf(IdempotencyKeys.Claimed.class);
		assertThat(keys.claim("acme", "k1", "b".repeat(64), "t3"))
			.isEqualTo(new IdempotencyKeys.Held("t1", "a".repeat(64)));

		keys.release("acme", "k1", "t3");
		assertThat(keys.claim("acme", "k1", "a".repeat(64), "t4")).isInstanceOf(IdempotencyKeys.Held.class);

		keys.release("acme", "k1", "t1");
		assertThat(keys.claim("acme", "k1", "c".repeat(64), "t5")).isInstanceOf(IdempotencyKeys.Claimed.class);
	}

	@ParameterizedTest
	@MethodSource("stores")
	void aKeyIsHeldForADayAndThenFree(IdempotencyKeys keys) {
		String key = "k-expiry-" + System.nanoTime();
		assertThat(keys.claim("acme", key, "a".repeat(64), "t-exp")).isInstanceOf(IdempotencyKeys.Claimed.class);
		if (keys instanceof RedisIdempotencyKeys) {
			long ttlSeconds = template.getExpire(template.keys("*:idem:*").stream()
				.filter(k -> "a".repeat(64).concat(" t-exp").equals(template.opsForValue().get(k)))
				.findFirst()
				.orElseThrow());
			assertThat(Duration.ofSeconds(ttlSeconds)).isBetween(Duration.ofHours(24).minusMinutes(1),
					Duration.ofHours(24));
		}
		else {
			jdbc.sql("update idempotency_key set created_at = :at where idem_key = :key")
				.param("at", Timestamp.from(Instant.now().minus(Duration.ofHours(24)).minusSeconds(1)))
				.param("key", key)
				.update();
			assertThat(keys.claim("acme", key, "b".repeat(64), "t2")).isInstanceOf(IdempotencyKeys.Claimed.class);
		}
	}

}
