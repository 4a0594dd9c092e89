package dev.sightline.vision.server;

import dev.sightline.vision.VisionRuntimeException;

/**
 * A request the server refuses, answered in OpenAI's error shape
 * ({@code {"error": {"message", "type", "param", "code"}}}) with {@link #status()}.
 */
public class ApiException extends VisionRuntimeException {

	private final int status;

	private final String type;

	private final String param;

	private final String code;

	public ApiException(int status, String type, String param, String code, String message) {
		super(message);
		this.status = status;
		this.type = type;
		this.param = param;
		this.code = code;
	}

	/** 400: the request itself is wrong; {@code param} names the offending field. */
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

	/** A machine-readable code, or null. */
	public String code() {
		return code;
	}

}
