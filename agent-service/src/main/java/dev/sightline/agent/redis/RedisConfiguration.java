package dev.sightline.agent.redis;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.config.SecuritySettings;
import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.TaskLifecycle;

/**
 * Redis mode ({@code sightline.mode=redis}): the store, queue and events of every replica live in the Redis of
 * {@code spring.data.redis.*}; {@code sightline.role} says whether this replica runs tasks. The beans are
 * {@code @Primary} so they win over the embedded defaults whatever order the configurations load in.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
public class RedisConfiguration {

	public static final String MODE = "sightline.mode";

	public static final String REDIS = "redis";

	public static final String ROLE = "sightline.role";

	@Bean
	ReplicaRole replicaRole(@Value("${" + ROLE + ":both}") String role) {
		return ReplicaRole.parse(role);
	}

	@Bean
	@Primary
	RedisTaskStore redisTaskStore(StringRedisTemplate redis, RedisSettings settings, JsonMapper json) {
		return new RedisTaskStore(redis, settings, json);
	}

	/** Replaces the per-replica limiter, so one tenant's request budget holds across all API replicas. */
	@Bean
	@Primary
	RedisRateLimiter redisRateLimiter(StringRedisTemplate redis, RedisSettings settings, SecuritySettings security) {
		return new RedisRateLimiter(redis, settings.keyPrefix(), security.requestsPerMinute());
	}

	@Bean(destroyMethod = "close")
	@Primary
	RedisTaskEvents redisTaskEvents(RedisTaskStore store, RedisSettings settings) {
		return new RedisTaskEvents(store, settings.pollIntervalMs());
	}

	/** Lets a person decide on any replica while the task waits on a worker of another. */
	@Bean(destroyMethod = "close")
	@Primary
	RedisApprovalGate redisApprovalGate(StringRedisTemplate redis, RedisSettings settings) {
		return new RedisApprovalGate(redis, settings.keyPrefix(), Math.max(100, settings.pollIntervalMs()));
	}

	/** Stops a task running here soon after another replica cancelled it. */
	@Bean(destroyMethod = "close")
	RedisCancelWatcher redisCancelWatcher(CancelSignals cancels, RedisTaskStore store, RedisSettings settings) {
		return new RedisCancelWatcher(cancels, store, Math.max(100, settings.pollIntervalMs()));
	}

	@Bean(destroyMethod = "close")
	@Primary
	RedisTaskQueue redisTaskQueue(StringRedisTemplate redis, RedisSettings settings, RedisTaskStore store,
			TaskLifecycle lifecycle, ReplicaRole role, AgentSettings agent) {
		return new RedisTaskQueue(redis, settings, store, lifecycle, role, agent.concurrency(), agent.queueCapacity());
	}

}
