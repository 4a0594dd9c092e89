package dev.sightline.agent.web;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

import dev.sightline.agent.model.ModelUnavailableException;
import dev.sightline.agent.security.RequestBodyTooLargeException;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.video.VideoProblem;

/** Every API error as RFC 9457 problem+json whose {@code detail} says what was wrong and the limit. */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

	@ExceptionHandler({ TaskException.class, VideoProblem.class, HttpProblem.class })
	ResponseEntity<ProblemDetail> refused(RuntimeException e) {
		HttpStatus status = ProblemStatus.ofKnown(e);
		if (status == null) {
			throw e;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		long retryAfterSeconds = ProblemStatus.retryAfterSeconds(e);
		if (retryAfterSeconds > 0) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
		}
		return response.body(problem);
	}

	@ExceptionHandler(ModelUnavailableException.class)
	ResponseEntity<ProblemDetail> modelUnavailable(ModelUnavailableException e) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
		problem.setTitle("Model unavailable");
		problem.setProperty("backend", e.state().backend());
		problem.setProperty("reason", e.state().reason());
		problem.setProperty("fix", e.state().fix());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30").body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> errors = e.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> error.getField() + ": " + error.getDefaultMessage())
			.sorted()
			.toList();
		List<String> global = e.getBindingResult().getGlobalErrors().stream().map(g -> g.getDefaultMessage()).toList();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"invalid request: " + String.join("; ", errors.isEmpty() ? global : errors));
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> errors = e.getAllErrors().stream().map(error -> String.valueOf(error.getDefaultMessage())).toList();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"invalid request: " + String.join("; ", errors));
		problem.setTitle("Invalid request");
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			HttpStatus refused = ProblemStatus.ofKnown(t);
			if (refused != null) {
				// Refused while binding (a count over its ceiling): the problem's own status, not "unreadable".
				return ResponseEntity.status(refused).body(ProblemDetail.forStatusAndDetail(refused, t.getMessage()));
			}
			if (t instanceof RequestBodyTooLargeException tooLarge) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
						tooLarge.getMessage());
				problem.setTitle("Request too large");
				return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
			}
		}
		Throwable cause = e.getMostSpecificCause();
		String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
		// Jackson appends the source location and sometimes the payload; keep the first line only.
		int newline = reason.indexOf('\n');
		String field = cause instanceof JacksonException jackson ? field(jackson) : "";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"request body is not valid JSON for this endpoint: " + (field.isEmpty() ? "" : "field '" + field + "': ")
						+ (newline > 0 ? reason.substring(0, newline) : reason));
		problem.setTitle("Unreadable request");
		if (!field.isEmpty()) {
			problem.setProperty("field", field);
		}
		return ResponseEntity.badRequest().body(problem);
	}

	/** The JSON path Jackson was at, as {@code target.viewport.width} or {@code frames[3].image}. */
	static String field(JacksonException e) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : e.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

}
