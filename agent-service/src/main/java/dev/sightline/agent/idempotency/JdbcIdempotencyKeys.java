package dev.sightline.agent.idempotency;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Keys of the embedded store: a row per key; the primary key makes the claim atomic. */
public class JdbcIdempotencyKeys implements IdempotencyKeys {

	private final JdbcClient jdbc;

	public JdbcIdempotencyKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Claim claim(String tenant, String key, String requestSha256, String taskId) {
		Instant now = Instant.now();
		// Expired keys of every tenant go here: the table holds at most a day of submits.
		jdbc.sql("delete from idempotency_key where created_at < :cutoff")
			.param("cutoff", Timestamp.from(now.minus(TTL)))
			.update();
		for (int attempt = 0;; attempt++) {
			try {
				jdbc.sql("""
						insert into idempotency_key (tenant, idem_key, request_sha256, task_id, created_at)
						values (:tenant, :key, :sha, :task, :at)""")
					.param("tenant", tenant)
					.param("key", key)
					.param("sha", requestSha256)
					.param("task", taskId)
					.param("at", Timestamp.from(now))
					.update();
				return new Claimed();
			}
			catch (DuplicateKeyException e) {
				var held = jdbc.sql("select task_id, request_sha256 from idempotency_key where tenant = :tenant and "
						+ "idem_key = :key")
					.param("tenant", tenant)
					.param("key", key)
					.query((rs, row) -> new Held(rs.getString("task_id"), rs.getString("request_sha256")))
					.optional();
				// Released between the insert and the select: try once more.
				if (held.isPresent() || attempt > 0) {
					return held.orElseThrow(() -> e);
				}
			}
		}
	}

	@Override
	public void release(String tenant, String key, String taskId) {
		jdbc.sql("delete from idempotency_key where tenant = :tenant and idem_key = :key and task_id = :task")
			.param("tenant", tenant)
			.param("key", key)
			.param("task", taskId)
			.update();
	}

}
