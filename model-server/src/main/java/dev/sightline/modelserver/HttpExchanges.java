package dev.sightline.modelserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/** Reading requests and writing JSON answers on the JDK's HTTP server, with OpenAI's error shape. */
final class HttpExchanges {

	private HttpExchanges() {
	}

	/** Refuses the request unless it carries {@code Authorization: Bearer <apiKey>} (when a key is configured). */
	static void authorize(HttpExchange exchange, Optional<String> apiKey) {
		if (apiKey.isEmpty()) {
			return;
		}
		String header = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
		String expected = "Bearer " + apiKey.get();
		// Constant-time comparison: the key must not leak through response timing.
		if (!MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
				expected.getBytes(StandardCharsets.UTF_8))) {
			throw new ApiException(401, "invalid_request_error", null, "invalid_api_key",
					header.isEmpty() ? "missing 'Authorization: Bearer <key>' header; this server requires an API key"
							: "incorrect API key provided");
		}
	}

	static void requireMethod(HttpExchange exchange, String method) {
		if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
			exchange.getResponseHeaders().set("Allow", method);
			throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
					exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestURI().getPath()
							+ "; use " + method);
		}
	}

	/** The JSON body, refused with 413 beyond {@code maxBytes} before more than that is read. */
	static JsonNode readJson(HttpExchange exchange, long maxBytes) throws IOException {
		String declared = exchange.getRequestHeaders().getFirst("Content-Length");
		if (declared != null) {
			try {
				long length = Long.parseLong(declared.strip());
				if (length > maxBytes) {
					throw tooLarge(length, maxBytes);
				}
			}
			catch (NumberFormatException e) {
				throw ApiException.invalid(null, "Content-Length '" + declared + "' is not a number");
			}
		}
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		}
		if (body.length > maxBytes) {
			throw tooLarge(body.length, maxBytes);
		}
		try {
			return OpenAiResponses.JSON.readTree(body);
		}
		catch (JsonProcessingException e) {
			throw ApiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
		}
	}

	private static ApiException tooLarge(long length, long maxBytes) {
		return new ApiException(413, "invalid_request_error", null, "request_too_large", "request body of at least "
				+ length + " bytes exceeds the limit of " + maxBytes + " bytes (--max-request-bytes)");
	}

	static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
		send(exchange, status, "application/json", OpenAiResponses.JSON.writeValueAsBytes(body));
	}

	static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	static void sendError(HttpExchange exchange, ApiException e) throws IOException {
		if (e.retryAfterSeconds() > 0) {
			exchange.getResponseHeaders().set("Retry-After", Long.toString(e.retryAfterSeconds()));
		}
		sendJson(exchange, e.status(), OpenAiResponses.error(e));
	}

}
