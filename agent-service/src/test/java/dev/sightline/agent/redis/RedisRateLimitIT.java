package dev.sightline.agent.redis;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.sightline.agent.redis.Replicas.Answer;
import dev.sightline.agent.security.TenantRateLimiter;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/** In Redis mode one API key's request budget is shared by every API replica, not granted once per replica. */
class RedisRateLimitIT {

	private static final String ALICE = "alice-key-0123456789";

	private static final String BOB = "bob-key-0123456789ab";

	@TempDir
	Path dir;

	@Test
	void twoApiReplicasShareOneTenantsBudgetAndAnswer429WithRetryAfterBeyondIt() throws Exception {
		String prefix = "rate" + UUID.randomUUID().toString().substring(0, 8);
		try (RedisSupport redis = RedisSupport.start(); ScriptedModelServer model = ScriptedModelServer.start()) {
			Map<String, Object> properties = Replicas.properties(redis, prefix, "api", model.baseUrl(), "127.0.0.1:1",
					dir);
			properties.put("sightline.security.api-keys", "alice=" + ALICE + ",bob=" + BOB);
			properties.put("sightline.security.requests-per-minute", 4);
			try (ConfigurableApplicationContext first = Replicas.inJvm(properties);
					ConfigurableApplicationContext second = Replicas.inJvm(properties)) {
				assertThat(first.getBean(TenantRateLimiter.class)).isInstanceOf(RedisRateLimiter.class);
				List<String> bases = List.of(Replicas.base(first), Replicas.base(second));
				for (int i = 0; i < 4; i++) {
					assertThat(list(bases.get(i % 2), ALICE).status()).as("request %d of 4", i + 1).isEqualTo(200);
				}

				Answer limited = list(bases.get(0), ALICE);
				Answer limitedOnTheOther = list(bases.get(1), ALICE);

				assertThat(limited.status()).isEqualTo(429);
				assertThat(limited.raw().headers().firstValue("Retry-After"))
					.hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 15L));
				assertThat(limited.body()).contains("sightline.security.requests-per-minute");
				assertThat(limitedOnTheOther.status()).isEqualTo(429);
				assertThat(list(bases.get(1), BOB).status()).as("another key has its own budget").isEqualTo(200);
			}
		}
	}

	@Test
	void refillsOneTokenPerIntervalAndNamesTheWait() throws Exception {
		String prefix = "rate" + UUID.randomUUID().toString().substring(0, 8);
		try (RedisSupport redis = RedisSupport.start()) {
			StringRedisTemplate template = redis.template();
			try {
				// 6 a minute: a token every 10 s, so a slow machine cannot refill one during the test.
				RedisRateLimiter one = new RedisRateLimiter(template, prefix, 6);
				RedisRateLimiter other = new RedisRateLimiter(template, prefix, 6);
				for (int i = 0; i < 6; i++) {
					assertThat((i % 2 == 0 ? one : other).acquire("alice")).isZero();
				}
				assertThat(one.acquire("alice")).as("the next token is up to 10 s away").isBetween(1L, 10L);
				String key = prefix + ":rate:alice";
				assertThat(template.getExpire(key)).as("expires when full again").isBetween(1L, 62L);

				// Ten seconds pass for the bucket: its last refill moves back instead of the test sleeping.
				long atMs = Long.parseLong((String) template.opsForHash().get(key, "atMs"));
				template.opsForHash().put(key, "atMs", Long.toString(atMs - 10_500));

				assertThat(other.acquire("alice")).isZero();
				assertThat(other.acquire("alice")).isBetween(1L, 10L);
			}
			finally {
				RedisSupport.close(template);
			}
		}
	}

	private static Answer list(String base, String key) {
		return Replicas.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + key)
			.GET()
			.build());
	}

}
