package dev.sightline.agent.task;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A file of a task, kept with it and deleted with it.
 *
 * @param name plain file name, unique among the task's files of its kind
 * @param contentType media type
 * @param sizeBytes size
 * @param sha256 lowercase hex SHA-256 of the content
 */
@Schema(description = "a file the task downloaded (or was given): GET /api/v1/tasks/{id}/files/{name} serves it")
public record TaskFile(String name, String contentType, long sizeBytes,
		@Schema(description = "lowercase hex SHA-256 of the content") String sha256) {

	/** Files a task was submitted with, and files it downloaded. */
	public enum Kind {

		INPUT("inputs"), OUTPUT("files");

		private final String dir;

		Kind(String dir) {
			this.dir = dir;
		}

		/** Its directory (or key part) beside the task's screenshots. */
		public String dir() {
			return dir;
		}

	}

}
