package dev.sightline.agent.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Deliveries to make and the log of those made. A delivery is claimed by moving its next attempt past a lease
 * atomically, so exactly one dispatcher works on it at a time; one that dies leaves it due again after the lease.
 */
public interface WebhookOutbox {

	/** One event to deliver. */
	record Delivery(String eventId, String taskId, String tenant, String event, String url, String state, int attempts,
			Instant createdAt, Instant nextAttemptAt) {
	}

	/** One attempt: the HTTP status answered, or why there was none. */
	record Attempt(int n, Instant at, @Nullable Integer httpStatus, @Nullable String error, long durationMs) {
	}

	/** A delivery and its attempts, for {@code GET /tasks/{id}/deliveries}. */
	record Log(String eventId, String event, String url, String state, List<Attempt> attempts) {
	}

	String PENDING = "pending";

	String DELIVERED = "delivered";

	String GAVE_UP = "gave_up";

	/** Adds a delivery; nothing when one with its event id exists (an event is delivered once). */
	void enqueue(Delivery delivery);

	/** A pending delivery due at {@code now}, now leased until {@code now + lease}; empty when none is due. */
	Optional<Delivery> claimDue(Instant now, Duration lease);

	/** Records an attempt and the delivery's new state; {@code nextAttemptAt} when it stays pending. */
	void recordAttempt(String eventId, Attempt attempt, String state, Instant nextAttemptAt);

	List<Log> forTask(String taskId);

}
