package dev.sightline.modelserver;

import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.batching.QueueFullException;

/**
 * A request the server refuses, answered in OpenAI's error shape
 * ({@code {"error": {"message", "type", "param", "code"}}}) with {@link #status()}.
 */
public class ApiException extends VisionRuntimeException {

	private final int status;

	private final String type;

	private final String param;

	private final String code;

	private final long retryAfterSeconds;

	public ApiException(int status, String type, String param, String code, String message) {
		this(status, type, param, code, message, 0);
	}

	private ApiException(int status, String type, String param, String code, String message, long retryAfterSeconds) {
		super(message);
		this.status = status;
		this.type = type;
		this.param = param;
		this.code = code;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	/** 429 with {@code Retry-After}: the scheduler's queue is full. */
	public static ApiException queueFull(QueueFullException full) {
		return new ApiException(429, "rate_limit_error", null, "queue_full", full.getMessage(), full.retryAfterSeconds());
	}

	/** 400: the request itself is wrong; {@code param} names the offending field. */
	/** A request naming a model this server does not serve (it serves exactly one). */
	public static ApiException modelNotFound(String asked, String served) {
		return new ApiException(404, "invalid_request_error", "model", "model_not_found",
				"the model '" + asked + "' does not exist; this server serves '" + served + "'");
	}

	public static ApiException invalid(String param, String message) {
		return new ApiException(400, "invalid_request_error", param, "invalid_value", message);
	}

	public int status() {
		return status;
	}

	public String type() {
		return type;
	}

	/** The request field at fault, or null. */
	public String param() {
		return param;
	}

	/** Seconds a client should wait before retrying, or 0 when the answer carries no {@code Retry-After}. */
	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

	/** A machine-readable code, or null. */
	public String code() {
		return code;
	}

}
