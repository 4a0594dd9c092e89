package dev.sightline.modelserver;

import tools.jackson.core.JacksonException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the one served model, and what it runs on. */
@RestController
final class ModelsController {

	private final ServedModel served;

	ModelsController(ServedModel served) {
		this.served = served;
	}

	@GetMapping("/v1/models")
	ResponseEntity<byte[]> models() throws JacksonException {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.body(OpenAiResponses.JSON.writeValueAsBytes(
					OpenAiResponses.models(served.modelName(), served.createdEpochSeconds(), served.runtime())));
	}

}
