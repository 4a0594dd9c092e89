package dev.sightline.modelserver;

import tools.jackson.core.JacksonException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: the one served model, and what it runs on; {@code GET /v1/models/{model}}: that model
 * alone (what openai-node's {@code models.retrieve} asks), 404 {@code model_not_found} for any other name.
 */
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

	/** The rest of the path is the name, so a hub id's slash ({@code Qwen/Qwen2.5-VL-3B-Instruct}) is part of it. */
	@GetMapping("/v1/models/{*model}")
	ResponseEntity<byte[]> model(@PathVariable("model") String model) throws JacksonException {
		String name = model.substring(1);
		if (!name.equals(served.modelName())) {
			throw ApiException.modelNotFound(name, served.modelName());
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.body(OpenAiResponses.JSON.writeValueAsBytes(
					OpenAiResponses.model(served.modelName(), served.createdEpochSeconds(), served.runtime())));
	}

}
