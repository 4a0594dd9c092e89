package dev.sightline.agent.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox in the embedded database: a claim is an {@code UPDATE} that only succeeds while the row is still due,
 * so of two dispatchers exactly one gets it.
 */
public class JdbcWebhookOutbox implements WebhookOutbox {

	private final JdbcClient jdbc;

	public JdbcWebhookOutbox(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void enqueue(Delivery delivery) {
		try {
			jdbc.sql("""
					insert into webhook_delivery (event_id, task_id, tenant, event, url, state, attempts, created_at,
					  next_attempt_at)
					values (:event_id, :task, :tenant, :event, :url, :state, 0, :created, :next)""")
				.param("event_id", delivery.eventId())
				.param("task", delivery.taskId())
				.param("tenant", delivery.tenant())
				.param("event", delivery.event())
				.param("url", delivery.url())
				.param("state", delivery.state())
				.param("created", Timestamp.from(delivery.createdAt()))
				.param("next", Timestamp.from(delivery.nextAttemptAt()))
				.update();
		}
		catch (DuplicateKeyException e) {
			// Enqueued already: at most one delivery per event.
		}
	}

	@Override
	public Optional<Delivery> claimDue(Instant now, Duration lease) {
		for (int tries = 0; tries < 5; tries++) {
			Optional<Delivery> due = jdbc.sql("""
					select * from webhook_delivery where state = 'pending' and next_attempt_at <= :now
					order by next_attempt_at limit 1""")
				.param("now", Timestamp.from(now))
				.query(this::delivery)
				.optional();
			if (due.isEmpty()) {
				return due;
			}
			int claimed = jdbc.sql("""
					update webhook_delivery set next_attempt_at = :until
					where event_id = :id and state = 'pending' and next_attempt_at = :seen""")
				.param("until", Timestamp.from(now.plus(lease)))
				.param("id", due.get().eventId())
				.param("seen", Timestamp.from(due.get().nextAttemptAt()))
				.update();
			if (claimed == 1) {
				return due;
			}
		}
		return Optional.empty();
	}

	@Override
	public void recordAttempt(String eventId, Attempt attempt, String state, Instant nextAttemptAt) {
		jdbc.sql("""
				insert into webhook_attempt (event_id, n, at, http_status, error, duration_ms)
				values (:id, :n, :at, :status, :error, :ms)""")
			.param("id", eventId)
			.param("n", attempt.n())
			.param("at", Timestamp.from(attempt.at()))
			.param("status", attempt.httpStatus())
			.param("error", attempt.error() == null || attempt.error().length() <= 1000 ? attempt.error()
					: attempt.error().substring(0, 999) + "…")
			.param("ms", attempt.durationMs())
			.update();
		jdbc.sql("update webhook_delivery set state = :state, attempts = :n, next_attempt_at = :next "
				+ "where event_id = :id")
			.param("state", state)
			.param("n", attempt.n())
			.param("next", Timestamp.from(nextAttemptAt))
			.param("id", eventId)
			.update();
	}

	@Override
	public List<Log> forTask(String taskId) {
		return jdbc.sql("select * from webhook_delivery where task_id = :task order by event_id")
			.param("task", taskId)
			.query(this::delivery)
			.list()
			.stream()
			.map(d -> new Log(d.eventId(), d.event(), d.url(), d.state(), jdbc
				.sql("select * from webhook_attempt where event_id = :id order by n")
				.param("id", d.eventId())
				.query((rs, row) -> new Attempt(rs.getInt("n"), rs.getTimestamp("at").toInstant(),
						(Integer) rs.getObject("http_status"), rs.getString("error"), rs.getLong("duration_ms")))
				.list()))
			.toList();
	}

	private Delivery delivery(ResultSet rs, int row) throws SQLException {
		return new Delivery(rs.getString("event_id"), rs.getString("task_id"), rs.getString("tenant"),
				rs.getString("event"), rs.getString("url"), rs.getString("state"), rs.getInt("attempts"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("next_attempt_at").toInstant());
	}

}
