package dev.sightline.agent.idempotency;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskException;

/**
 * Submits a task at most once per {@code Idempotency-Key}: the key is claimed for a fresh task id before the task is
 * created, so of two concurrent requests with one key only one creates; the other waits for that task to appear and
 * returns it. A refused submit (400, 429, 503) frees the key again, so the client's retry is judged afresh.
 */
public class IdempotentSubmit {

	private static final Logger log = LoggerFactory.getLogger(IdempotentSubmit.class);

	/** Printable ASCII without spaces, as most clients generate (UUIDs, hashes, job ids). */
	private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	/** How long a request waits for a concurrent one with the same key to finish creating its task. */
	static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(10);

	/** What a submit returned: the task, and whether this request created it (202) or found it (200). */
	public record Submitted(Task task, boolean created) {
	}

	private final IdempotencyKeys keys;

	private final TaskStore store;

	private final RequestHash hash;

	public IdempotentSubmit(IdempotencyKeys keys, TaskStore store, RequestHash hash) {
		this.keys = keys;
		this.store = store;
		this.hash = hash;
	}

	/**
	 * @param key the {@code Idempotency-Key} header, or null for a plain submit
	 * @param request what the client sent, hashed to tell a retry from a different request
	 * @param create creates the task with the id given
	 */
	public Submitted submit(String tenant, @Nullable String key, Object request, Function<String, Task> create) {
		if (key == null) {
			return new Submitted(create.apply(UUID.randomUUID().toString()), true);
		}
		if (!KEY.matcher(key).matches()) {
			throw new TaskException.Invalid("Idempotency-Key must be 1 to 255 printable ASCII characters "
					+ "without spaces (e.g. a UUID), got " + key.length() + " characters");
		}
		String sha = hash.of(request);
		long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
		while (true) {
			String id = UUID.randomUUID().toString();
			IdempotencyKeys.Claim claim = keys.claim(tenant, key, sha, id);
			if (claim instanceof IdempotencyKeys.Claimed) {
				try {
					return new Submitted(create.apply(id), true);
				}
				catch (RuntimeException e) {
					keys.release(tenant, key, id);
					throw e;
				}
			}
			IdempotencyKeys.Held held = (IdempotencyKeys.Held) claim;
			if (!held.requestSha256().equals(sha)) {
				throw new TaskException.Mismatch("Idempotency-Key '" + key + "' was used within "
						+ "the last " + IdempotencyKeys.TTL.toHours() + " h for a different request (task '"
						+ held.taskId() + "'); use a new key for a new request");
			}
			Optional<Task> existing = store.find(tenant, held.taskId());
			if (existing.isPresent()) {
				log.info("Idempotency-Key of tenant {} returns task {} again", tenant, held.taskId());
				return new Submitted(existing.get(), false);
			}
			if (System.nanoTime() > deadline) {
				throw new TaskException.Conflict("a request with Idempotency-Key '" + key + "' is still being "
						+ "processed; retry in a moment");
			}
			// Being created by a concurrent request (or refused, then the key is freed and the next claim wins).
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new TaskException.Unavailable("interrupted while waiting for a concurrent "
						+ "request with the same Idempotency-Key");
			}
		}
	}

}
