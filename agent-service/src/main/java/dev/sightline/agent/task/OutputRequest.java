package dev.sightline.agent.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a task should return besides its status: a JSON value validating against {@code schema}.
 *
 * @param schema a JSON Schema (draft 2020-12), self-contained: only local {@code $ref}s ({@code #/...}); at most
 * {@value ResultSchemas#MAX_SCHEMA_BYTES} bytes and {@value ResultSchemas#MAX_DEPTH} levels deep
 * @param instructions what to put in the result, in plain language (optional)
 */
public record OutputRequest(@Schema(type = "object", description = "JSON Schema (draft 2020-12) of the result; "
		+ "self-contained, at most 16384 bytes and 16 levels deep") @NotNull(
				message = "output.schema is required (a JSON Schema object)") JsonNode schema,
		@Nullable @Size(max = 2000, message = "output.instructions must be at most 2000 characters") String instructions) {
}
