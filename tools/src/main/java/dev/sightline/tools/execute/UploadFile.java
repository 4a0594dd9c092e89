package dev.sightline.tools.execute;

import java.nio.file.Path;

/**
 * A file a task brought with it, offered to the page when it opens a file chooser (the model clicked an upload
 * control). The content stays on disk; the name is what the page sees.
 *
 * @param name the file name the page sees (no directories)
 * @param contentType its media type, e.g. {@code application/pdf}
 * @param path where its bytes are
 * @param sizeBytes its size
 */
public record UploadFile(String name, String contentType, Path path, long sizeBytes) {

	public UploadFile {
		if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
			throw new IllegalArgumentException("an upload's name must be a plain file name, got '" + name + "'");
		}
	}

}
