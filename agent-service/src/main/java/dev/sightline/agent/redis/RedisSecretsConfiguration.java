package dev.sightline.agent.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.security.SecretCipher;
import dev.sightline.agent.security.SecretHandOff;

/**
 * Task secrets in Redis mode: encrypted in Redis with the key {@value SecretCipher#KEY_PROPERTY} (the same on every
 * replica), so whichever worker takes a task can run it. Without a key the service starts, but refuses tasks with
 * secrets (503); a key shorter than {@value SecretCipher#MIN_KEY_CHARS} characters stops the start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
public class RedisSecretsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RedisSecretsConfiguration.class);

	@Bean
	@Primary
	SecretHandOff redisSecretHandOff(StringRedisTemplate redis, RedisSettings settings, JsonMapper json,
			@Value("${" + SecretCipher.KEY_PROPERTY + ":}") String key) {
		SecretCipher cipher = null;
		if (key.isEmpty()) {
			log.warn("Redis mode without {} (SIGHTLINE_REDIS_SECRETS_KEY): tasks with secrets are refused with 503",
					SecretCipher.KEY_PROPERTY);
		}
		else {
			cipher = new SecretCipher(key);
		}
		return new RedisSecretHandOff(redis, new RedisKeys(settings.keyPrefix()), json, cipher);
	}

}
