package dev.sightline.agent.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded queue: {@code concurrency} virtual-thread workers and room for {@code capacity} waiting ids. Places
 * are counted with a semaphore so "full" is exact under concurrent submits.
 */
public final class InMemoryTaskQueue implements TaskQueue {

	private static final Logger log = LoggerFactory.getLogger(InMemoryTaskQueue.class);

	private final int concurrency;

	private final Semaphore places;

	private final LinkedBlockingQueue<String> ids = new LinkedBlockingQueue<>();

	private final AtomicInteger running = new AtomicInteger();

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean closed;

	public InMemoryTaskQueue(int concurrency, int capacity) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
		}
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must be at least 0, got " + capacity);
		}
		this.concurrency = concurrency;
		this.places = new Semaphore(concurrency + capacity);
	}

	@Override
	public synchronized void start(Consumer<String> runner) {
		if (!workers.isEmpty()) {
			throw new IllegalStateException("the queue is already started");
		}
		for (int i = 0; i < concurrency; i++) {
			workers.add(Thread.ofVirtual().name("sightline-worker-" + i).start(() -> work(runner)));
		}
	}

	private void work(Consumer<String> runner) {
		while (!closed) {
			String id;
			try {
				id = ids.take();
			}
			catch (InterruptedException e) {
				return;
			}
			running.incrementAndGet();
			try {
				runner.accept(id);
			}
			catch (RuntimeException e) {
				log.error("task {} ended with an unexpected error", id, e);
			}
			finally {
				running.decrementAndGet();
				places.release();
			}
			if (Thread.interrupted()) {
				// Interrupt only ever means shutdown (cancel uses its own signal).
				return;
			}
		}
	}

	@Override
	public void submit(String taskId) {
		if (closed) {
			throw new IllegalStateException("the queue is closed");
		}
		if (!places.tryAcquire()) {
			throw new QueueFullException(running.get(), ids.size());
		}
		ids.add(taskId);
	}

	@Override
	public int waiting() {
		return ids.size();
	}

	@Override
	public int running() {
		return running.get();
	}

	@Override
	public synchronized void close() {
		closed = true;
		workers.forEach(Thread::interrupt);
		for (Thread worker : workers) {
			try {
				worker.join(10_000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
