package dev.sightline.agent.web;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.video.VideoProblem;

/**
 * The one place where a domain refusal becomes an HTTP status: the API ({@code ApiProblems}) and the dashboard's
 * error pages both ask here, so a reason is never answered with two different codes.
 */
public final class ProblemStatus {

	private ProblemStatus() {
	}

	public static HttpStatus of(TaskException e) {
		return switch (e) {
			case TaskException.NotFound notFound -> HttpStatus.NOT_FOUND;
			case TaskException.Invalid invalid -> HttpStatus.BAD_REQUEST;
			case TaskException.Conflict conflict -> HttpStatus.CONFLICT;
			case TaskException.Mismatch mismatch -> HttpStatus.UNPROCESSABLE_CONTENT;
			case TaskException.TooLarge tooLarge -> HttpStatus.CONTENT_TOO_LARGE;
			case TaskException.NotPermitted notPermitted -> HttpStatus.FORBIDDEN;
			case TaskException.LimitReached limit -> HttpStatus.TOO_MANY_REQUESTS;
			case TaskException.Unavailable unavailable -> HttpStatus.SERVICE_UNAVAILABLE;
		};
	}

	public static HttpStatus of(VideoProblem e) {
		return switch (e.reason()) {
			case INVALID -> HttpStatus.BAD_REQUEST;
			case TOO_LONG -> HttpStatus.CONTENT_TOO_LARGE;
			case UNSUPPORTED -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case UNDECODABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
			case MODEL_FAILED -> HttpStatus.BAD_GATEWAY;
		};
	}

	/** The status of any refusal this class knows, or null for other exceptions. */
	static @Nullable HttpStatus ofKnown(Throwable e) {
		return switch (e) {
			case TaskException task -> of(task);
			case VideoProblem video -> of(video);
			case HttpProblem http -> http.status();
			default -> null;
		};
	}

	/** Seconds a client should wait before the same request, or 0 when waiting does not help. */
	static long retryAfterSeconds(Throwable e) {
		return e instanceof TaskException.LimitReached limit ? limit.retryAfterSeconds() : 0;
	}

}
