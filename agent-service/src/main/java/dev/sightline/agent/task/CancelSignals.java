package dev.sightline.agent.task;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A completable signal per running task: cancel completes it, the loop checks it between phases and races its model
 * call against it. A signal, not a thread interrupt, because Playwright connections must not be interrupted.
 */
public final class CancelSignals {

	private final Map<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();

	public CompletableFuture<Void> register(String taskId) {
		return signals.computeIfAbsent(taskId, id -> new CompletableFuture<>());
	}

	/** True if the task was running here and is now signalled. */
	public boolean cancel(String taskId) {
		CompletableFuture<Void> signal = signals.get(taskId);
		return signal != null && signal.complete(null);
	}

	/** Ids of the tasks running here now. */
	public Set<String> registered() {
		return Set.copyOf(signals.keySet());
	}

	public void remove(String taskId) {
		signals.remove(taskId);
	}

}
