package dev.sightline.agent.idempotency;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.StoreSettings;
import dev.sightline.agent.redis.RedisConfiguration;
import dev.sightline.agent.redis.RedisSettings;
import dev.sightline.agent.security.SecretCipher;
import dev.sightline.agent.task.TaskStore;

/** Keys in the embedded database, or in Redis in Redis mode (the {@code @Primary} bean wins there). */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

	@Bean
	JdbcIdempotencyKeys jdbcIdempotencyKeys(JdbcClient jdbc) {
		return new JdbcIdempotencyKeys(jdbc);
	}

	@Bean
	IdempotentSubmit idempotentSubmit(IdempotencyKeys keys, TaskStore store, RequestHash hash) {
		return new IdempotentSubmit(keys, store, hash);
	}

	/** Embedded mode: the hash key lives in the data directory, beside the database it protects. */
	@Bean
	@ConditionalOnExpression("!'${" + RedisConfiguration.MODE + ":}'.equals('" + RedisConfiguration.REDIS + "')")
	RequestHash requestHash(JsonMapper json, StoreSettings store) {
		return new RequestHash(json, RequestHash.keyInDirectory(Path.of(store.dir())));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
	static class InRedis {

		@Bean
		@Primary
		RedisIdempotencyKeys redisIdempotencyKeys(StringRedisTemplate redis, RedisSettings settings) {
			return new RedisIdempotencyKeys(redis, settings.keyPrefix());
		}

		/**
		 * Every replica must hash alike: the key is derived from the shared secrets key, or, where none is set (then
		 * no task carries secrets), a random key the first replica puts in Redis.
		 */
		@Bean
		RequestHash redisRequestHash(JsonMapper json, StringRedisTemplate redis, RedisSettings settings,
				@Value("${" + SecretCipher.KEY_PROPERTY + ":}") String shared) {
			if (!shared.isEmpty()) {
				return new RequestHash(json, RequestHash.keyFromShared(shared));
			}
			byte[] fresh = new byte[RequestHash.KEY_BYTES];
			new SecureRandom().nextBytes(fresh);
			String name = settings.keyPrefix() + ":idem-hash-key";
			redis.opsForValue().setIfAbsent(name, Base64.getEncoder().encodeToString(fresh));
			return new RequestHash(json, Base64.getDecoder().decode(redis.opsForValue().get(name)));
		}

	}

}
