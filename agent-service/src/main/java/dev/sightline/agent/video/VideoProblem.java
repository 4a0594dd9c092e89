package dev.sightline.agent.video;

import org.springframework.http.HttpStatus;

import dev.sightline.agent.task.TaskProblem;

/** The specific refusals of video requests, each answered as problem+json naming the input and the limit. */
final class VideoProblem {

	private VideoProblem() {
	}

	static TaskProblem badRequest(String message) {
		return new TaskProblem(HttpStatus.BAD_REQUEST, message);
	}

	/** Longer than {@code sightline.video.max-duration-seconds} or more frames than {@code max-frames}. */
	static TaskProblem tooLong(String message) {
		return new TaskProblem(HttpStatus.CONTENT_TOO_LARGE, message);
	}

	static TaskProblem unsupported(String message) {
		return new TaskProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message);
	}

	/** A file of a supported kind that cannot be decoded, or a clip without frames. */
	static TaskProblem undecodable(String message) {
		return new TaskProblem(HttpStatus.UNPROCESSABLE_CONTENT, message);
	}

}
