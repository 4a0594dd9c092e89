package dev.sightline.modelserver;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.sightline.vision.batching.QueueFullException;
import dev.sightline.vision.batching.SchedulerClosedException;
import dev.sightline.vision.preprocess.InvalidImageException;

/**
 * Every refusal in OpenAI's error shape ({@code {"error": {"message", "type", "param", "code"}}}, as
 * {@code application/json}): what the controllers throw, Spring MVC's own refusals (unknown route, wrong method), and
 * — through {@link #write} — the security filters' 401s. Clients parse this shape (the openai SDKs raise typed errors
 * from it), so it is the same on every path, not Spring's problem+json.
 */
@RestControllerAdvice
final class ApiErrors {

	@ExceptionHandler(ApiException.class)
	ResponseEntity<byte[]> refused(ApiException e) {
		return response(e);
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<byte[]> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
		String allowed = String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods());
		ApiException error = new ApiException(405, "invalid_request_error", null, "method_not_allowed",
				request.getMethod() + " is not allowed on " + request.getRequestURI() + "; use " + allowed);
		return ResponseEntity.status(405).header(HttpHeaders.ALLOW, allowed).contentType(MediaType.APPLICATION_JSON)
			.body(body(error));
	}

	@ExceptionHandler({ NoHandlerFoundException.class, NoResourceFoundException.class })
	ResponseEntity<byte[]> noRoute(HttpServletRequest request) {
		return response(new ApiException(404, "invalid_request_error", null, "not_found",
				"no route " + request.getMethod() + " " + request.getRequestURI()
						+ " (this server has /v1/chat/completions, /v1/models, /v1/models/{model}, /metrics, /health)"));
	}

	/** A client that went away while its body was read: nothing left to answer. */
	@ExceptionHandler(IOException.class)
	void clientGone() {
	}

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<byte[]> failed(RuntimeException e) {
		return response(toApiException(e));
	}

	static ResponseEntity<byte[]> response(ApiException e) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
		if (e.retryAfterSeconds() > 0) {
			builder.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
		}
		return builder.body(body(e));
	}

	/** Writes {@code e} straight to a response, for filters that answer before Spring MVC. */
	static void write(HttpServletResponse response, ApiException e) throws IOException {
		response.setStatus(e.status());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		byte[] body = body(e);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static byte[] body(ApiException e) {
		try {
			return OpenAiResponses.JSON.writeValueAsBytes(OpenAiResponses.error(e));
		}
		catch (tools.jackson.core.JacksonException impossible) {
			throw new IllegalStateException("an error body did not serialize", impossible);
		}
	}

	/** Input the model refused is the client's fault (400); anything else is ours (500). */
	static ApiException toApiException(Throwable t) {
		t = unwrap(t);
		if (t instanceof ApiException api) {
			return api;
		}
		if (t instanceof QueueFullException full) {
			return ApiException.queueFull(full);
		}
		if (t instanceof SchedulerClosedException) {
			return new ApiException(503, "server_error", null, "shutting_down", "the model server is shutting down");
		}
		if (t instanceof InvalidImageException || t instanceof IllegalArgumentException) {
			return ApiException.invalid("messages", t.getMessage());
		}
		return new ApiException(500, "server_error", null, "model_error",
				"the model failed: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
	}

	static Throwable unwrap(Throwable t) {
		while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
			t = t.getCause();
		}
		return t;
	}

}
