package dev.sightline.modelserver;

import java.io.IOException;
import java.io.InputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;

/** Reading request bodies under the server's size limit. */
final class ApiRequests {

	private ApiRequests() {
	}

	/** The JSON body, refused with 413 beyond {@code maxBytes} before more than that is read. */
	static JsonNode readJson(HttpServletRequest request, long maxBytes) throws IOException {
		String declared = request.getHeader("Content-Length");
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
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		}
		if (body.length > maxBytes) {
			throw tooLarge(body.length, maxBytes);
		}
		try {
			return OpenAiResponses.JSON.readTree(body);
		}
		catch (JacksonException e) {
			throw ApiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
		}
	}

	private static ApiException tooLarge(long length, long maxBytes) {
		return new ApiException(413, "invalid_request_error", null, "request_too_large", "request body of at least "
				+ length + " bytes exceeds the limit of " + maxBytes + " bytes (--max-request-bytes)");
	}

}
