package dev.sightline.agent.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;

/**
 * Live events of Redis mode. Publishing appends to the task's event stream in Redis; every replica follows the streams
 * its own clients subscribed to (one reader thread, XRANGE from each subscription's cursor), so a Server-Sent Events
 * client on any replica sees the events of a task that runs on another, in order, each once. Replay reads the same
 * stream, so {@code Last-Event-ID} works whichever replica the client reconnects to.
 */
public class RedisTaskEvents extends TaskEvents implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisTaskEvents.class);

	/** A client's interest in one task: delivered in order from {@code cursor} on. */
	private static final class Subscription {

		final Consumer<StoredEvent> subscriber;

		volatile long cursor;

		Subscription(Consumer<StoredEvent> subscriber, long cursor) {
			this.subscriber = subscriber;
			this.cursor = cursor;
		}

	}

	private final RedisTaskStore store;

	private final long pollIntervalMs;

	private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();

	private @Nullable Thread reader;

	private volatile boolean closed;

	public RedisTaskEvents(RedisTaskStore store, long pollIntervalMs) {
		super(store);
		this.store = store;
		this.pollIntervalMs = pollIntervalMs;
	}

	/** Appends the event to the task's stream; subscribers on every replica receive it from there. */
	@Override
	public StoredEvent publish(TaskEvent event) {
		StoredEvent stored = store.append(event);
		notifyListeners(stored);
		return stored;
	}

	/** Subscribes to events published from now on, by any replica; the returned handle unsubscribes. */
	@Override
	public Runnable subscribe(String taskId, Consumer<StoredEvent> subscriber) {
		Subscription subscription = new Subscription(subscriber, store.lastEventId(taskId));
		subscriptions.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>()).add(subscription);
		startReader();
		return () -> subscriptions.computeIfPresent(taskId, (id, list) -> {
			list.remove(subscription);
			return list.isEmpty() ? null : list;
		});
	}

	private synchronized void startReader() {
		if (reader == null && !closed) {
			reader = Thread.ofVirtual().name("sightline-redis-events").start(this::follow);
		}
	}

	private void follow() {
		while (!closed) {
			boolean delivered = false;
			for (Map.Entry<String, List<Subscription>> task : subscriptions.entrySet()) {
				try {
					delivered |= deliver(task.getKey(), task.getValue());
				}
				catch (RuntimeException e) {
					// Redis restarting: the client reconnects; the cursors make sure nothing is skipped.
					log.debug("reading events of task {} failed: {}", task.getKey(), e.toString());
				}
			}
			if (!delivered) {
				try {
					Thread.sleep(pollIntervalMs);
				}
				catch (InterruptedException e) {
					return;
				}
			}
		}
	}

	private boolean deliver(String taskId, List<Subscription> list) {
		long from = Long.MAX_VALUE;
		for (Subscription subscription : list) {
			from = Math.min(from, subscription.cursor);
		}
		if (from == Long.MAX_VALUE) {
			return false;
		}
		List<StoredEvent> events = store.events(taskId, from);
		for (StoredEvent event : events) {
			for (Subscription subscription : list) {
				if (event.id() > subscription.cursor) {
					subscription.cursor = event.id();
					try {
						subscription.subscriber.accept(event);
					}
					catch (RuntimeException e) {
						// A gone client must not stop the other clients.
						log.debug("event subscriber of task {} failed: {}", taskId, e.toString());
					}
				}
			}
		}
		return !events.isEmpty();
	}

	@Override
	public synchronized void close() {
		closed = true;
		if (reader != null) {
			reader.interrupt();
		}
	}

}
