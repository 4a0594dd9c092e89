package dev.sightline.agent.redis;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.TaskStatus;

/**
 * Redis mode: cancel sent to a replica that does not run the task marks it cancelled in Redis at once; this watcher,
 * on the replica that runs it, sees that within one poll and signals the loop, which stops as it would for a local
 * cancel (the final state stays the first one written).
 */
final class RedisCancelWatcher implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisCancelWatcher.class);

	private final CancelSignals cancels;

	private final RedisTaskStore store;

	private final ScheduledExecutorService poller;

	RedisCancelWatcher(CancelSignals cancels, RedisTaskStore store, long pollIntervalMs) {
		this.cancels = cancels;
		this.store = store;
		this.poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
			.name("cancel-watcher")
			.daemon()
			.factory());
		poller.scheduleWithFixedDelay(this::poll, pollIntervalMs, pollIntervalMs, TimeUnit.MILLISECONDS);
	}

	private void poll() {
		for (String id : cancels.registered()) {
			try {
				if (store.find(id).map(task -> task.status() == TaskStatus.CANCELLED).orElse(false)
						&& cancels.cancel(id)) {
					log.info("task {} was cancelled through another replica; stopping it here", id);
				}
			}
			catch (RuntimeException e) {
				// Redis unreachable for a moment: the next poll looks again.
				log.debug("checking task {} for a cancel failed: {}", id, e.getMessage());
			}
		}
	}

	@Override
	public void close() {
		poller.shutdownNow();
	}

}
