package dev.sightline.agent.approval;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a paused task waits: the loop opens a gate per task and waits on it; approve or reject completes it. Like
 * cancel, a completable signal, so the loop can race it against cancel and the task's deadline.
 */
public final class ApprovalGate {

	private record Waiting(CompletableFuture<ApprovalDecision> decision, String reason) {
	}

	private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

	/** Opens the gate of a task; {@code reason} says which rule matched, for the people who decide. */
	public CompletableFuture<ApprovalDecision> open(String taskId, String reason) {
		CompletableFuture<ApprovalDecision> decision = new CompletableFuture<>();
		waiting.put(taskId, new Waiting(decision, reason));
		return decision;
	}

	/** True if the task was waiting here and now has the decision. */
	public boolean decide(String taskId, ApprovalDecision decision) {
		Waiting gate = waiting.remove(taskId);
		return gate != null && gate.decision().complete(decision);
	}

	/** Why the task waits, while it waits here. */
	public Optional<String> reason(String taskId) {
		return Optional.ofNullable(waiting.get(taskId)).map(Waiting::reason);
	}

	public void close(String taskId) {
		waiting.remove(taskId);
	}

}
