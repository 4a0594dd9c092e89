package dev.sightline.agent.approval;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The approval gate of embedded mode: the task waits, and is decided on, in this process. */
public final class LocalApprovalGate implements ApprovalGate {

	private record Waiting(CompletableFuture<ApprovalDecision> decision, String reason) {
	}

	private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

	@Override
	public CompletableFuture<ApprovalDecision> open(String taskId, String reason) {
		CompletableFuture<ApprovalDecision> decision = new CompletableFuture<>();
		waiting.put(taskId, new Waiting(decision, reason));
		return decision;
	}

	@Override
	public boolean decide(String taskId, ApprovalDecision decision) {
		Waiting gate = waiting.remove(taskId);
		return gate != null && gate.decision().complete(decision);
	}

	@Override
	public Optional<String> reason(String taskId) {
		return Optional.ofNullable(waiting.get(taskId)).map(Waiting::reason);
	}

	@Override
	public void close(String taskId) {
		waiting.remove(taskId);
	}

}
