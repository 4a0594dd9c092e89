package dev.sightline.agent.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.security.SecretCipher;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.UnreadableSecretsException;

/**
 * Task secrets in {@code P:secrets:ID}: the JSON of name to value, encrypted with {@link SecretCipher} for that task
 * id, with a TTL. Without a key ({@value SecretCipher#KEY_PROPERTY} unset) tasks with secrets are refused.
 */
final class RedisSecretHandOff implements SecretHandOff {

	private static final TypeReference<Map<String, String>> SECRETS = new TypeReference<>() {
	};

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final JsonMapper json;

	private final @Nullable SecretCipher cipher;

	RedisSecretHandOff(StringRedisTemplate redis, RedisKeys keys, JsonMapper json, @Nullable SecretCipher cipher) {
		this.redis = redis;
		this.keys = keys;
		this.json = json;
		this.cipher = cipher;
	}

	@Override
	public boolean runsWhereAccepted() {
		return false;
	}

	@Override
	public Optional<String> unavailable() {
		return cipher != null ? Optional.empty()
				: Optional.of("this installation runs in Redis mode without " + SecretCipher.KEY_PROPERTY
						+ " (env SIGHTLINE_REDIS_SECRETS_KEY, at least " + SecretCipher.MIN_KEY_CHARS
						+ " characters); tasks with secrets need it so that any replica can run them. Set the same key "
						+ "on every replica, or submit the task without secrets");
	}

	@Override
	public void publish(String taskId, Map<String, String> secrets, Duration ttl) {
		if (cipher == null) {
			throw new IllegalStateException(unavailable().orElseThrow());
		}
		String sealed = cipher.encrypt(taskId, json.writeValueAsBytes(secrets));
		redis.opsForValue().set(keys.secrets(taskId), sealed, ttl);
	}

	@Override
	public Optional<Map<String, String>> fetch(String taskId) {
		String sealed = redis.opsForValue().get(keys.secrets(taskId));
		if (sealed == null) {
			return Optional.empty();
		}
		if (cipher == null) {
			throw new UnreadableSecretsException("the secrets of task " + taskId + " are in Redis, but this replica "
					+ "has no " + SecretCipher.KEY_PROPERTY + " to decrypt them; set the same key on every replica");
		}
		byte[] plain = cipher.decrypt(taskId, sealed);
		try {
			return Optional.of(Map.copyOf(json.readValue(plain, SECRETS)));
		}
		catch (JacksonException e) {
			// GCM authenticated the bytes, so only a writer of another format gets here; the values stay out of it.
			throw new UnreadableSecretsException("the secrets of task " + taskId
					+ " decrypted but are not a JSON object of names to values");
		}
	}

	@Override
	public void delete(String taskId) {
		redis.delete(keys.secrets(taskId));
	}

	@Override
	public String whyMissing() {
		return "its secrets are no longer in Redis: they expire after the task's timeout plus the queue allowance "
				+ "and are deleted when the task ends; submit the task again";
	}

}
