package dev.sightline.agent.video;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One frame of a clip: an encoded image (PNG or JPEG) and when it was captured, in seconds of the source's timeline
 * (a task's recording starts at its first screenshot).
 *
 * @param step the task step that recorded it; null for uploads and frames sent with the request
 */
public record ClipFrame(byte[] encoded, double timestampSec, @Nullable Integer step) {

	public ClipFrame {
		Objects.requireNonNull(encoded, "encoded");
	}

}
