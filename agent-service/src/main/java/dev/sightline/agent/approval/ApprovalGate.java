package dev.sightline.agent.approval;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a paused task waits: the loop opens a gate per task and waits on it; approve or reject completes it. Like
 * cancel, a completable signal, so the loop can race it against cancel and the task's deadline. In-process in
 * embedded mode ({@link LocalApprovalGate}); in Redis mode the gate lives in Redis, so a person may decide on any
 * replica.
 */
public interface ApprovalGate {

	/** Opens the gate of a task; {@code reason} says which rule matched, for the people who decide. */
	CompletableFuture<ApprovalDecision> open(String taskId, String reason);

	/** True if the task was waiting at its gate and the decision is now recorded for it. */
	boolean decide(String taskId, ApprovalDecision decision);

	/** Why the task waits, while it waits. */
	Optional<String> reason(String taskId);

	/** Closes the gate; a decision that comes later finds no gate. */
	void close(String taskId);

}
