package dev.sightline.agent.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the RFC 9457 problem+json answers of requests refused before they reach a controller (firewall, missing
 * key, CSRF, Host/Origin, rate and size limits), the same shape the controllers' errors have.
 */
public final class Problems {

	private final JsonMapper json;

	public Problems(JsonMapper json) {
		this.json = json;
	}

	public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
			String detail) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		try {
			problem.setInstance(URI.create(request.getRequestURI()));
		}
		catch (IllegalArgumentException notAUri) {
			// The firewall refuses raw paths that are not valid URIs; the problem then has no instance.
		}
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// A known length: a client still sending a refused body reads the whole answer before the connection closes.
		byte[] body = json.writeValueAsBytes(problem);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
