package dev.sightline.agent.redis;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults that depend on the mode. Embedded mode has the Redis client on the class path but never connects, so the
 * Redis health check is off there (it would report DOWN for a Redis nobody uses). Redis mode gets a 5 s command
 * timeout unless one is set, so a request fails with 503 in seconds instead of Lettuce's 60 s when Redis is gone,
 * while a short Redis restart is still ridden out (commands wait for the reconnect).
 */
public class RedisModeEnvironment implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean redis = RedisConfiguration.REDIS.equals(environment.getProperty(RedisConfiguration.MODE));
		Map<String, Object> defaults = redis ? Map.of("spring.data.redis.timeout", "5s")
				: Map.of("management.health.redis.enabled", "false");
		// Last: any property the operator sets wins.
		environment.getPropertySources().addLast(new MapPropertySource("sightline-redis-mode-defaults", defaults));
	}

}
