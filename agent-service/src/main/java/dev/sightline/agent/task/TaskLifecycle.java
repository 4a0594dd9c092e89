package dev.sightline.agent.task;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;

/**
 * The one way a task changes hands outside its steps: it ends (run to its end, cancelled while queued, given up
 * after restarts), goes back to the queue, or is withdrawn before anyone saw it. Every end forgets the task's
 * secrets here and deletes its hand-off, so no path leaves them behind; the event follows the store's change, and
 * only the caller whose change won publishes it.
 */
public final class TaskLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

	private final TaskStore store;

	private final TaskEvents events;

	private final SecretVault secrets;

	private final SecretHandOff handOff;

	public TaskLifecycle(TaskStore store, TaskEvents events, SecretVault secrets, SecretHandOff handOff) {
		this.store = store;
		this.events = events;
		this.secrets = secrets;
		this.handOff = handOff;
	}

	/**
	 * Ends {@code task} with {@code status} unless it already ended; its secrets go either way (also when another
	 * replica ended it first, a cancel: the task never runs again, so no one needs them).
	 *
	 * @return whether this call ended it (and published {@link TaskEvent.TaskFinished})
	 */
	public boolean finish(Task task, TaskStatus status, @Nullable String message) {
		secrets.forget(task.id());
		boolean finished = store.finish(task.id(), status, message, Instant.now());
		deleteHandOff(task);
		if (finished) {
			events.publish(new TaskEvent.TaskFinished(task.id(), status, message));
			log.info("task {} {}: {}", task.id(), status.wireName(), message);
		}
		return finished;
	}

	/** Puts an unfinished task back in the queue's hands, counting the re-queue; its secrets stay for the rerun. */
	public void requeue(Task task, String reason) {
		store.requeue(task.id(), reason);
		events.publish(new TaskEvent.TaskQueued(task.id()));
	}

	/** Removes a task that was created but could not be queued, as if it had never been submitted. */
	public void withdraw(Task task) {
		secrets.forget(task.id());
		deleteHandOff(task);
		store.delete(task.id());
	}

	private void deleteHandOff(Task task) {
		if (task.spec().secretNames().isEmpty()) {
			return;
		}
		try {
			handOff.delete(task.id());
		}
		catch (RuntimeException e) {
			log.warn("task {} ended, but its handed-off secrets stay (encrypted) until their TTL: {}", task.id(),
					e.toString());
		}
	}

}
