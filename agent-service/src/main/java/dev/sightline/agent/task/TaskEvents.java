package dev.sightline.agent.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** Records each event in the store (for replay) and hands it to the live subscribers of its task. */
public class TaskEvents {

	private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);

	private final TaskStore store;

	private final Map<String, List<Consumer<StoredEvent>>> subscribers = new ConcurrentHashMap<>();

	/** Told of every event this process publishes, once, right after it is stored (webhooks). */
	private final List<Consumer<StoredEvent>> listeners = new CopyOnWriteArrayList<>();

	public TaskEvents(TaskStore store) {
		this.store = store;
	}

	public StoredEvent publish(TaskEvent event) {
		StoredEvent stored = store.append(event);
		notifyListeners(stored);
		for (Consumer<StoredEvent> subscriber : subscribers.getOrDefault(event.taskId(), List.of())) {
			try {
				subscriber.accept(stored);
			}
			catch (RuntimeException e) {
				// A gone client must not stop the task or the other clients.
				log.debug("event subscriber of task {} failed: {}", event.taskId(), e.toString());
			}
		}
		return stored;
	}

	/** Adds a listener of every event this process publishes (not of those other replicas publish). */
	public void addListener(Consumer<StoredEvent> listener) {
		listeners.add(listener);
	}

	/** Hands a just-stored event to the listeners; one that fails does not stop the task. */
	protected void notifyListeners(StoredEvent stored) {
		for (Consumer<StoredEvent> listener : listeners) {
			try {
				listener.accept(stored);
			}
			catch (RuntimeException e) {
				log.warn("event listener failed on {} of task {}: {}", stored.type(), stored.taskId(), e.toString());
			}
		}
	}

	/** Subscribes to new events of a task; the returned handle unsubscribes. */
	public Runnable subscribe(String taskId, Consumer<StoredEvent> subscriber) {
		subscribers.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>()).add(subscriber);
		return () -> subscribers.computeIfPresent(taskId, (id, list) -> {
			list.remove(subscriber);
			return list.isEmpty() ? null : list;
		});
	}

	public List<StoredEvent> replay(String taskId, long afterId) {
		return store.events(taskId, afterId);
	}

}
