package dev.sightline.agent.redis;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.sightline.agent.queue.QueueFullException;
import dev.sightline.agent.queue.TaskQueue;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskLifecycle;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;

/**
 * The queue of Redis mode: a Redis Stream read by the consumer group {@link RedisKeys#GROUP}. Each worker replica is
 * one consumer ({@code host:pid:random}) that reads new entries with XREADGROUP, runs up to {@code concurrency} tasks
 * on virtual threads, sends a heartbeat per running task (XCLAIM by the owner resets the entry's idle time) and
 * acknowledges an entry once its task is final. Entries of a worker that stopped sending heartbeats for
 * {@link RedisSettings#claimIdleMs()} are taken over with XAUTOCLAIM: the task restarts from step 1 (its partial steps
 * are removed, see {@link RedisTaskStore#requeue}), at most {@link RedisSettings#maxRestarts()} times.
 */
public final class RedisTaskQueue implements TaskQueue {

	private static final Logger log = LoggerFactory.getLogger(RedisTaskQueue.class);

	/** One queue entry handed to this worker. */
	private record Entry(String entryId, String taskId, long enqueuedAtMs, boolean claimed) {
	}

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisSettings settings;

	private final TaskStore store;

	private final TaskLifecycle lifecycle;

	private final ReplicaRole role;

	private final int concurrency;

	private final int capacity;

	private final String consumer;

	private final Semaphore slots;

	private final AtomicInteger running = new AtomicInteger();

	/** Tasks running on this replica, so a claim of one (its entry idled through a Redis outage) is not run twice. */
	private final Set<String> local = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().daemon().name("sightline-heartbeat").factory());

	private volatile @Nullable Thread poller;

	private volatile boolean closed;

	public RedisTaskQueue(StringRedisTemplate redis, RedisSettings settings, TaskStore store, TaskLifecycle lifecycle,
			ReplicaRole role, int concurrency, int capacity) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
		}
		this.redis = redis;
		this.keys = new RedisKeys(settings.keyPrefix());
		this.settings = settings;
		this.store = store;
		this.lifecycle = lifecycle;
		this.role = role;
		this.concurrency = concurrency;
		this.capacity = capacity;
		this.consumer = consumerName();
		this.slots = new Semaphore(concurrency);
	}

	/** This replica's consumer name in the group: host, process id and a random part. */
	public String consumer() {
		return consumer;
	}

	@Override
	public synchronized void start(Consumer<String> runner) {
		if (poller != null) {
			throw new IllegalStateException("the queue is already started");
		}
		if (!role.runsTasks()) {
			log.info("replica role is api: this replica submits tasks but runs none");
			return;
		}
		poller = Thread.ofVirtual().name("sightline-redis-queue").start(() -> poll(runner));
		log.info("worker {} reads {} as group {} with {} slots", consumer, keys.queue(), RedisKeys.GROUP, concurrency);
	}

	private void poll(Consumer<String> runner) {
		long nextClaimNanos = 0;
		boolean groupReady = false;
		while (!closed) {
			int free = 0;
			try {
				if (!groupReady) {
					redis.execute(RedisScripts.CREATE_GROUP, List.of(keys.queue()), RedisKeys.GROUP);
					groupReady = true;
				}
				slots.acquire();
				free = 1 + slots.drainPermits();
				List<Entry> work = new ArrayList<>();
				if (System.nanoTime() >= nextClaimNanos) {
					work.addAll(entries(redis.execute(RedisScripts.AUTOCLAIM, List.of(keys.queue()), RedisKeys.GROUP,
							consumer, Long.toString(settings.claimIdleMs()), Integer.toString(free)), true));
					nextClaimNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.claimIntervalMs());
				}
				if (work.size() < free) {
					work.addAll(entries(redis.execute(RedisScripts.READ, List.of(keys.queue()), RedisKeys.GROUP,
							consumer, Integer.toString(free - work.size())), false));
				}
				work.removeIf(entry -> entry.claimed() && local.contains(entry.taskId()));
				slots.release(free - work.size());
				free = 0;
				for (Entry entry : work) {
					local.add(entry.taskId());
					running.incrementAndGet();
					Thread.ofVirtual().name("sightline-worker-" + entry.taskId()).start(() -> run(entry, runner));
				}
				if (work.isEmpty()) {
					Thread.sleep(settings.pollIntervalMs());
				}
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// Redis restarting or unreachable: the client reconnects; wait and read again. An entry read just
				// before the failure stays pending under this consumer and is claimed again after claim-idle-ms.
				slots.release(free);
				log.warn("reading the task queue failed ({}); retrying in 1 s", e.toString());
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	private static List<Entry> entries(@Nullable List<?> flat, boolean claimed) {
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; flat != null && i + 2 < flat.size(); i += 3) {
			entries.add(new Entry((String) flat.get(i), (String) flat.get(i + 1),
					Long.parseLong((String) flat.get(i + 2)), claimed));
		}
		return entries;
	}

	private void run(Entry entry, Consumer<String> runner) {
		ScheduledFuture<?> heartbeat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(entry),
				settings.heartbeatIntervalMs(), settings.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
		try {
			if (entry.taskId().isEmpty() || (entry.claimed() && !recover(entry))) {
				ack(entry);
				return;
			}
			runner.accept(entry.taskId());
			// Acknowledge only a task that ended: one left running (this replica shutting down) stays pending, so a
			// live worker claims it once its heartbeats stop.
			if (store.find(entry.taskId()).map(task -> task.status().isFinal()).orElse(true)) {
				ack(entry);
			}
		}
		catch (RuntimeException e) {
			log.warn("task {} of entry {} stopped with an error; it stays pending for a claim", entry.taskId(),
					entry.entryId(), e);
		}
		finally {
			heartbeat.cancel(false);
			local.remove(entry.taskId());
			running.decrementAndGet();
			slots.release();
		}
	}

	/** Prepares a task taken over from a dead worker; false if there is nothing left to run. */
	private boolean recover(Entry entry) {
		Task task = store.find(entry.taskId()).orElse(null);
		if (task == null || task.status().isFinal()) {
			return false;
		}
		if (task.status() == TaskStatus.QUEUED) {
			log.info("task {} claimed from a stopped worker before it started", task.id());
			return true;
		}
		if (task.requeues() >= settings.maxRestarts()) {
			String message = "its worker stopped " + (task.requeues() + 1) + " times; not restarted again "
					+ "(sightline.redis.max-restarts = " + settings.maxRestarts() + ")";
			lifecycle.finish(task, TaskStatus.FAILED, message);
			return false;
		}
		lifecycle.requeue(task, "its worker stopped at step " + task.steps() + "; claimed by " + consumer
				+ " and restarted from step 1");
		log.info("task {} claimed from a stopped worker after {} steps; restarting it", task.id(), task.steps());
		return true;
	}

	private void heartbeat(Entry entry) {
		try {
			Long owned = redis.execute(RedisScripts.HEARTBEAT, List.of(keys.queue()), RedisKeys.GROUP, consumer,
					entry.entryId());
			if (owned != null && owned == 0) {
				log.warn("task {} was claimed by another worker (no heartbeat for {} ms)", entry.taskId(),
						settings.claimIdleMs());
			}
		}
		catch (RuntimeException e) {
			log.warn("heartbeat of task {} failed: {}", entry.taskId(), e.toString());
		}
	}

	private void ack(Entry entry) {
		redis.execute(RedisScripts.ACK, List.of(keys.queue()), RedisKeys.GROUP, entry.entryId());
	}

	@Override
	public void submit(String taskId) {
		if (closed) {
			throw new IllegalStateException("the queue is closed");
		}
		String entryId = redis.execute(RedisScripts.ENQUEUE, List.of(keys.queue()), taskId,
				Long.toString(System.currentTimeMillis()), Long.toString((long) concurrency + capacity));
		if (entryId == null || entryId.isEmpty()) {
			int waiting = waiting();
			throw new QueueFullException(concurrency + capacity - waiting, waiting);
		}
	}

	/** Entries in Redis that no worker has taken yet, across all replicas. */
	@Override
	public int waiting() {
		Long waiting = redis.execute(RedisScripts.WAITING, List.of(keys.queue()), RedisKeys.GROUP);
		return waiting == null ? 0 : waiting.intValue();
	}

	/** Tasks running on this replica. */
	@Override
	public int running() {
		return running.get();
	}

	@Override
	public synchronized void close() {
		closed = true;
		Thread thread = poller;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(5_000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		heartbeats.shutdownNow();
	}

	private static String consumerName() {
		String host = System.getenv().getOrDefault("HOSTNAME", "host");
		return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
				+ UUID.randomUUID().toString().substring(0, 8);
	}

}
