package dev.sightline.agent.video;

/**
 * A video request the service refuses, with the specific reason; the web layer answers each reason as problem+json
 * naming the input and the limit.
 */
public final class VideoProblem extends RuntimeException {

	/** Why a video request is refused. */
	public enum Reason {

		/** A malformed field (an unknown export format). */
		INVALID,
		/** Longer than {@code sightline.video.max-duration-seconds} or more frames than {@code max-frames}. */
		TOO_LONG,
		/** A file of a kind the decoder does not support. */
		UNSUPPORTED,
		/** A file of a supported kind that cannot be decoded, or a clip without frames. */
		UNDECODABLE,
		/** The model failed to answer. */
		MODEL_FAILED

	}

	private final Reason reason;

	VideoProblem(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return reason;
	}

	static VideoProblem badRequest(String message) {
		return new VideoProblem(Reason.INVALID, message);
	}

	static VideoProblem tooLong(String message) {
		return new VideoProblem(Reason.TOO_LONG, message);
	}

	static VideoProblem unsupported(String message) {
		return new VideoProblem(Reason.UNSUPPORTED, message);
	}

	static VideoProblem undecodable(String message) {
		return new VideoProblem(Reason.UNDECODABLE, message);
	}

	static VideoProblem modelFailed(String message) {
		return new VideoProblem(Reason.MODEL_FAILED, message);
	}

}
