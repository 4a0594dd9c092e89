package dev.sightline.agent.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox of Redis mode, shared by every replica, so a delivery survives the replica that published its event
 * and exactly one replica works on it at a time. Keys: {@code P:hooks:due} sorted set of event ids by next attempt
 * (ms); {@code P:hook:E} hash of the delivery; {@code P:hook-attempts:E} list of attempts as JSON;
 * {@code P:hooks:task:T} set of the task's event ids. Per-delivery keys expire after {@code ttl} (the screenshots'
 * TTL: a delivery log lives as long as the task's pictures).
 */
public class RedisWebhookOutbox implements WebhookOutbox {

	private static final RedisScript<Long> ENQUEUE = RedisScript.of("""
			if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
			redis.call('HSET', KEYS[1], 'task', ARGV[2], 'tenant', ARGV[3], 'event', ARGV[4], 'url', ARGV[5],
			  'state', 'pending', 'attempts', '0', 'created', ARGV[6], 'next', ARGV[7])
			redis.call('PEXPIRE', KEYS[1], ARGV[8])
			redis.call('ZADD', KEYS[2], ARGV[7], ARGV[1])
			redis.call('SADD', KEYS[3], ARGV[1])
			redis.call('PEXPIRE', KEYS[3], ARGV[8])
			return 1""", Long.class);

	/** Takes the earliest due entry and pushes it past the lease in one step: no other replica sees it due. */
	private static final RedisScript<String> CLAIM = RedisScript.of("""
			local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
			if #due == 0 then return false end
			redis.call('ZADD', KEYS[1], ARGV[2], due[1])
			return due[1]""", String.class);

	private static final RedisScript<Long> RECORD = RedisScript.of("""
			redis.call('RPUSH', KEYS[2], ARGV[1])
			redis.call('PEXPIRE', KEYS[2], ARGV[6])
			redis.call('HSET', KEYS[1], 'state', ARGV[2], 'attempts', ARGV[3], 'next', ARGV[4])
			if ARGV[2] == 'pending' then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
			else redis.call('ZREM', KEYS[3], ARGV[5]) end
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	private final Duration ttl;

	private final JsonMapper json;

	public RedisWebhookOutbox(StringRedisTemplate redis, String keyPrefix, Duration ttl, JsonMapper json) {
		this.redis = redis;
		this.prefix = keyPrefix;
		this.ttl = ttl;
		this.json = json;
	}

	private String due() {
		return prefix + ":hooks:due";
	}

	private String hook(String eventId) {
		return prefix + ":hook:" + eventId;
	}

	private String attempts(String eventId) {
		return prefix + ":hook-attempts:" + eventId;
	}

	private String task(String taskId) {
		return prefix + ":hooks:task:" + taskId;
	}

	@Override
	public void enqueue(Delivery d) {
		redis.execute(ENQUEUE, List.of(hook(d.eventId()), due(), task(d.taskId())), d.eventId(), d.taskId(),
				d.tenant(), d.event(), d.url(), Long.toString(d.createdAt().toEpochMilli()),
				Long.toString(d.nextAttemptAt().toEpochMilli()), Long.toString(ttl.toMillis()));
	}

	@Override
	public Optional<Delivery> claimDue(Instant now, Duration lease) {
		while (true) {
			String eventId = redis.execute(CLAIM, List.of(due()), Long.toString(now.toEpochMilli()),
					Long.toString(now.plus(lease).toEpochMilli()));
			if (eventId == null) {
				return Optional.empty();
			}
			Optional<Delivery> delivery = read(eventId);
			if (delivery.isPresent()) {
				return delivery;
			}
			// Its record expired: nothing left to deliver.
			redis.opsForZSet().remove(due(), eventId);
		}
	}

	private Optional<Delivery> read(String eventId) {
		Map<Object, Object> h = redis.opsForHash().entries(hook(eventId));
		if (h.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new Delivery(eventId, (String) h.get("task"), (String) h.get("tenant"),
				(String) h.get("event"), (String) h.get("url"), (String) h.get("state"),
				Integer.parseInt((String) h.get("attempts")), Instant.ofEpochMilli(Long.parseLong((String) h.get("created"))),
				Instant.ofEpochMilli(Long.parseLong((String) h.get("next")))));
	}

	@Override
	public void recordAttempt(String eventId, Attempt attempt, String state, Instant nextAttemptAt) {
		redis.execute(RECORD, List.of(hook(eventId), attempts(eventId), due()), json.writeValueAsString(attempt), state,
				Integer.toString(attempt.n()), Long.toString(nextAttemptAt.toEpochMilli()), eventId,
				Long.toString(ttl.toMillis()));
	}

	@Override
	public List<Log> forTask(String taskId) {
		List<Log> logs = new ArrayList<>();
		for (String eventId : redis.opsForSet().members(task(taskId))) {
			read(eventId).ifPresent(d -> logs.add(new Log(eventId, d.event(), d.url(), d.state(),
					redis.opsForList().range(attempts(eventId), 0, -1).stream()
						.map(text -> json.readValue(text, Attempt.class))
						.toList())));
		}
		logs.sort(java.util.Comparator.comparing(Log::eventId));
		return logs;
	}

}
