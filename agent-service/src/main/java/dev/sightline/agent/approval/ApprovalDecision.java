package dev.sightline.agent.approval;

import org.jspecify.annotations.Nullable;

/**
 * A person's answer to an action waiting for approval.
 *
 * @param approved true to let the action run, false to fail the task
 * @param comment optional note from the person, quoted in the task's message and events
 */
public record ApprovalDecision(boolean approved, @Nullable String comment) {

	public static final int MAX_COMMENT_LENGTH = 1000;

	public ApprovalDecision {
		if (comment != null && comment.length() > MAX_COMMENT_LENGTH) {
			throw new IllegalArgumentException("comment must be at most " + MAX_COMMENT_LENGTH + " characters, got "
					+ comment.length());
		}
		if (comment != null && comment.isBlank()) {
			comment = null;
		}
	}

}
