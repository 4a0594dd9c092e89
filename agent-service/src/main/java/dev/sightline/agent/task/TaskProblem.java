package dev.sightline.agent.task;

import org.springframework.http.HttpStatus;

/**
 * A request the service refuses for a reason the client can act on; the API answers it as problem+json with
 * {@link #status()} and, for 429, {@link #retryAfterSeconds()}.
 */
public class TaskProblem extends RuntimeException {

	private final HttpStatus status;

	private final long retryAfterSeconds;

	public TaskProblem(HttpStatus status, String message) {
		this(status, message, 0);
	}

	public TaskProblem(HttpStatus status, String message, long retryAfterSeconds) {
		super(message);
		this.status = status;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public static TaskProblem notFound(String id) {
		return new TaskProblem(HttpStatus.NOT_FOUND, "no task '" + id + "'");
	}

	public HttpStatus status() {
		return status;
	}

	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

}
