package dev.sightline.tools.execute;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A file the page downloaded, kept as a task artifact.
 *
 * @param suggestedFilename the name the server suggested
 * @param url where it came from
 * @param path where it was saved, or {@code null} when it was discarded
 * @param sizeBytes its size (0 when discarded before it was known)
 * @param failure why it was discarded ("exceeds the limit of 52428800 bytes"), or {@code null} when kept
 * @param contentType the media type judged from the saved file's name and content ({@code Files.probeContentType}),
 * {@code application/octet-stream} when unknown; Chromium does not pass the server's header on to Playwright
 */
public record Download(String suggestedFilename, String url, @Nullable Path path, long sizeBytes,
		@Nullable String failure, String contentType) {

	/** What a file of unknown type is served as. */
	public static final String UNKNOWN_TYPE = "application/octet-stream";

	/** A download of unknown type (discarded ones, and callers that do not judge it). */
	public Download(String suggestedFilename, String url, @Nullable Path path, long sizeBytes,
			@Nullable String failure) {
		this(suggestedFilename, url, path, sizeBytes, failure, UNKNOWN_TYPE);
	}

}
