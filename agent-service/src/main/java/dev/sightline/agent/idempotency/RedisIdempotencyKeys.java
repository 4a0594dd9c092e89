package dev.sightline.agent.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Keys of Redis mode, shared by every replica: {@code P:idem:H} strings holding {@code SHA TASKID} with a 24 h TTL,
 * where H is the SHA-256 of tenant and key (both may hold any character, and a key may be long). {@code SET NX}
 * makes the claim atomic across replicas.
 */
public class RedisIdempotencyKeys implements IdempotencyKeys {

	/** Deletes the key only while it still names the task: a later claim by another request stays. */
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			local value = redis.call('GET', KEYS[1])
			if value and string.sub(value, 66) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	public RedisIdempotencyKeys(StringRedisTemplate redis, String keyPrefix) {
		this.redis = redis;
		this.prefix = keyPrefix + ":idem:";
	}

	@Override
	public Claim claim(String tenant, String key, String requestSha256, String taskId) {
		String redisKey = redisKey(tenant, key);
		for (int attempt = 0;; attempt++) {
			Boolean set = redis.opsForValue().setIfAbsent(redisKey, requestSha256 + " " + taskId, TTL);
			if (Boolean.TRUE.equals(set)) {
				return new Claimed();
			}
			String value = redis.opsForValue().get(redisKey);
			if (value != null) {
				return new Held(value.substring(65), value.substring(0, 64));
			}
			if (attempt > 0) {
				throw new IllegalStateException("Idempotency-Key " + key + " was claimed and freed twice meanwhile");
			}
		}
	}

	@Override
	public void release(String tenant, String key, String taskId) {
		redis.execute(RELEASE, List.of(redisKey(tenant, key)), taskId);
	}

	private String redisKey(String tenant, String key) {
		return prefix + RequestHash.sha256Hex((tenant + "\n" + key).getBytes(StandardCharsets.UTF_8));
	}

}
