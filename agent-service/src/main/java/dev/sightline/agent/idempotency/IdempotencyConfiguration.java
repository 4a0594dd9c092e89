package dev.sightline.agent.idempotency;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.redis.RedisConfiguration;
import dev.sightline.agent.redis.RedisSettings;
import dev.sightline.agent.task.TaskStore;

/** Keys in the embedded database, or in Redis in Redis mode (the {@code @Primary} bean wins there). */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

	@Bean
	JdbcIdempotencyKeys jdbcIdempotencyKeys(JdbcClient jdbc) {
		return new JdbcIdempotencyKeys(jdbc);
	}

	@Bean
	IdempotentSubmit idempotentSubmit(IdempotencyKeys keys, TaskStore store, JsonMapper json) {
		return new IdempotentSubmit(keys, store, new RequestHash(json));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
	static class InRedis {

		@Bean
		@Primary
		RedisIdempotencyKeys redisIdempotencyKeys(StringRedisTemplate redis, RedisSettings settings) {
			return new RedisIdempotencyKeys(redis, settings.keyPrefix());
		}

	}

}
