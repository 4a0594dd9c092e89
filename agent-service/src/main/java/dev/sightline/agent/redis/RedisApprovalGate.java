package dev.sightline.agent.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.approval.ApprovalGate;

/**
 * The approval gate of Redis mode: why a task waits and the decision on it live in {@code P:approval:ID}, so a person
 * may approve or reject through any API replica while the task waits on a worker of another. The waiting worker
 * polls its open gates (one read per waiting task per interval); polling, unlike pub/sub, loses no decision while a
 * connection is re-established, and the decision stays in Redis until the gate closes.
 */
public final class RedisApprovalGate implements ApprovalGate, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisApprovalGate.class);

	/** Longer than any task may wait (timeoutSeconds is at most a day), so an abandoned gate expires on its own. */
	static final Duration GATE_TTL = Duration.ofDays(2);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final Map<String, CompletableFuture<ApprovalDecision>> waiting = new ConcurrentHashMap<>();

	private final ScheduledExecutorService poller;

	public RedisApprovalGate(StringRedisTemplate redis, String keyPrefix, long pollIntervalMs) {
		this.redis = redis;
		this.keys = new RedisKeys(keyPrefix);
		this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
			.name("approval-poller")
			.daemon()
			.factory());
		poller.scheduleWithFixedDelay(this::poll, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
	}

	@Override
	public CompletableFuture<ApprovalDecision> open(String taskId, String reason) {
		redis.execute(RedisScripts.OPEN_APPROVAL, List.of(), keys.prefix(), taskId, reason,
				Long.toString(GATE_TTL.toMillis()));
		CompletableFuture<ApprovalDecision> decision = new CompletableFuture<>();
		waiting.put(taskId, decision);
		return decision;
	}

	@Override
	public boolean decide(String taskId, ApprovalDecision decision) {
		Long recorded = redis.execute(RedisScripts.DECIDE_APPROVAL, List.of(), keys.prefix(), taskId,
				decision.approved() ? "1" : "0", decision.comment() == null ? "" : decision.comment());
		if (recorded == null || recorded != 1) {
			return false;
		}
		// Waiting in this process: no need to wait for the next poll.
		CompletableFuture<ApprovalDecision> local = waiting.get(taskId);
		if (local != null) {
			local.complete(decision);
		}
		return true;
	}

	@Override
	public Optional<String> reason(String taskId) {
		Object reason = redis.opsForHash().get(keys.approval(taskId), "reason");
		return Optional.ofNullable(reason).map(Object::toString);
	}

	@Override
	public void close(String taskId) {
		waiting.remove(taskId);
		redis.delete(keys.approval(taskId));
	}

	private void poll() {
		for (Map.Entry<String, CompletableFuture<ApprovalDecision>> gate : waiting.entrySet()) {
			try {
				List<Object> fields = redis.opsForHash().multiGet(keys.approval(gate.getKey()), List.of("approved", "comment"));
				Object approved = fields.get(0);
				if (approved != null) {
					Object comment = fields.get(1);
					gate.getValue().complete(new ApprovalDecision("1".equals(approved),
							comment == null ? null : comment.toString()));
				}
			}
			catch (RuntimeException e) {
				// Redis unreachable for a moment: the decision stays in Redis and the next poll reads it.
				log.debug("reading the approval of task {} failed: {}", gate.getKey(), e.getMessage());
			}
		}
	}

	@Override
	public void close() {
		poller.shutdownNow();
	}

}
