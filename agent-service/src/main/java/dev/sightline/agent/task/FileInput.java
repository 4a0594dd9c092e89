package dev.sightline.agent.task;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A file attached to a task in the JSON submit.
 *
 * @param name the plain file name the page's file chooser receives (no directories)
 * @param contentBase64 its bytes, Base64 (RFC 4648, standard alphabet)
 * @param contentType its media type; guessed from the name when absent
 */
@Schema(description = "a file the page's file chooser receives when the model clicks an upload control; bounded by "
		+ "sightline.files.* (count, bytes per file, total bytes; 413 beyond)")
public record FileInput(@Schema(description = "plain file name, no directories") @NotBlank(message = "files[].name is required") @Size(max = 255,
		message = "files[].name must be at most 255 characters") String name,
		@Schema(description = "the content, Base64 (standard alphabet)") @NotNull(
				message = "files[].contentBase64 is required") String contentBase64,
		@Schema(description = "media type; guessed from the name when absent") @Nullable @Size(max = 255,
				message = "files[].contentType must be at most 255 characters") String contentType) {

	@Override
	public String toString() {
		return "FileInput[name=" + name + ", contentType=" + contentType + ", base64 chars=" + contentBase64.length()
				+ "]";
	}

}
