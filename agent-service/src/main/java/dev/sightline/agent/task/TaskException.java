package dev.sightline.agent.task;

/**
 * A request about tasks that the service refuses for a reason the caller can act on. Each subtype names the reason;
 * the web layer alone decides how a reason is answered (status, headers), so the domain stays free of HTTP.
 */
public abstract sealed class TaskException extends RuntimeException
		permits TaskException.NotFound, TaskException.Invalid, TaskException.Conflict, TaskException.Mismatch,
		TaskException.TooLarge, TaskException.NotPermitted,
		TaskException.LimitReached, TaskException.Unavailable {

	private TaskException(String message) {
		super(message);
	}

	/** The task (or a part of it, such as a step's screenshot) does not exist for this tenant. */
	public static final class NotFound extends TaskException {

		public NotFound(String message) {
			super(message);
		}

		public static NotFound task(String id) {
			return new NotFound("no task '" + id + "'");
		}

	}

	/** The request itself is wrong: a bad field, a value past its limit, a placeholder without a secret. */
	public static final class Invalid extends TaskException {

		public Invalid(String message) {
			super(message);
		}

	}

	/** The task is in a state that does not allow the operation (already ended, not awaiting approval). */
	public static final class Conflict extends TaskException {

		public Conflict(String message) {
			super(message);
		}

	}

	/** The request repeats an earlier one's identity (an {@code Idempotency-Key}) with different content: 422. */
	public static final class Mismatch extends TaskException {

		public Mismatch(String message) {
			super(message);
		}

	}

	/** The request carries more than a limit allows (files, bytes): 413, the message naming the limit. */
	public static final class TooLarge extends TaskException {

		public TooLarge(String message) {
			super(message);
		}

	}

	/** The tenant may never do this (a desktop display it is not allowed to use). */
	public static final class NotPermitted extends TaskException {

		public NotPermitted(String message) {
			super(message);
		}

	}

	/** A limit on running work is reached; the same request may succeed after {@link #retryAfterSeconds()}. */
	public static final class LimitReached extends TaskException {

		private final long retryAfterSeconds;

		public LimitReached(String message, long retryAfterSeconds) {
			super(message);
			this.retryAfterSeconds = retryAfterSeconds;
		}

		public long retryAfterSeconds() {
			return retryAfterSeconds;
		}

	}

	/** Something the task needs is down for now (the secret hand-off store); nothing was written. */
	public static final class Unavailable extends TaskException {

		public Unavailable(String message) {
			super(message);
		}

	}

}
