package dev.sightline.vision.video;

import dev.sightline.vision.preprocess.InvalidImageException;

/** A clip the pipeline rejects: no frames, timestamps out of order, an undecodable file; the message says why. */
public class InvalidVideoException extends InvalidImageException {

	/** What kind of refusal it is, for a caller that answers each differently (e.g. with its own HTTP status). */
	public enum Kind {

		/** Corrupt, not a video, no video stream, no frames, a tool that failed. */
		UNREADABLE,
		/** A container outside {@link Ffmpeg#DEMUXERS}. */
		UNSUPPORTED_CONTAINER,
		/** Frames larger than the ceilings ({@link Ffmpeg#checkFrameSize}). */
		TOO_LARGE

	}

	private final Kind kind;

	public InvalidVideoException(String message) {
		this(Kind.UNREADABLE, message);
	}

	public InvalidVideoException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public InvalidVideoException(String message, Throwable cause) {
		super(message, cause);
		this.kind = Kind.UNREADABLE;
	}

	public Kind kind() {
		return kind;
	}

}
