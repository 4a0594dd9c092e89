package dev.sightline.agent.redis;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.sightline.agent.security.TenantRateLimiter;

/**
 * The per-tenant request budget counted in Redis, so every API replica draws from one bucket: the same token bucket as
 * the embedded {@link dev.sightline.agent.security.RateLimiter} ({@code perMinute} a minute, refilled continuously,
 * bursts up to the same), kept in the hash {@code P:rate:TENANT} and updated by one Lua script on Redis's own clock,
 * so replica clocks never disagree about the refill.
 */
public final class RedisRateLimiter implements TenantRateLimiter {

	/**
	 * ARGV: prefix, tenant, per minute. Returns 0 (request counted) or the seconds to wait. Times in milliseconds: Lua
	 * writes numbers with 14 significant digits, enough for epoch milliseconds but not microseconds. The key expires
	 * once the bucket would be full again, so idle tenants leave nothing behind.
	 */
	static final RedisScript<Long> ACQUIRE = RedisScript.of("""
			local key = ARGV[1] .. ':rate:' .. ARGV[2]
			local rate = tonumber(ARGV[3])
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
			local bucket = redis.call('HMGET', key, 'tokens', 'atMs')
			local tokens = tonumber(bucket[1]) or rate
			local at = tonumber(bucket[2]) or now
			tokens = math.min(rate, tokens + math.max(0, now - at) * rate / 60000)
			local wait = 0
			if tokens >= 1 then
			  tokens = tokens - 1
			else
			  wait = math.max(1, math.ceil((1 - tokens) * 60 / rate))
			end
			redis.call('HSET', key, 'tokens', tostring(tokens), 'atMs', tostring(now))
			redis.call('PEXPIRE', key, math.ceil((rate - tokens) * 60000 / rate) + 1000)
			return wait
			""", Long.class);

	private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final int perMinute;

	public RedisRateLimiter(StringRedisTemplate redis, String keyPrefix, int perMinute) {
		if (perMinute < 1) {
			throw new IllegalArgumentException("requests per minute must be at least 1, got " + perMinute);
		}
		this.redis = redis;
		this.keys = new RedisKeys(keyPrefix);
		this.perMinute = perMinute;
	}

	@Override
	public long acquire(String tenant) {
		try {
			Long wait = redis.execute(ACQUIRE, List.of(), keys.prefix(), tenant, Integer.toString(perMinute));
			return wait == null ? 0 : wait;
		}
		catch (DataAccessException e) {
			// Fail open: with Redis gone the request itself fails with 503 problem+json (RedisUnavailableProblems),
			// which a filter cannot answer; refusing here with 429 would tell the client the wrong thing.
			log.warn("rate limit of tenant '{}' not checked, Redis unavailable: {}", tenant, e.toString());
			return 0;
		}
	}

}
