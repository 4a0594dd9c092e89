package dev.sightline.agent.queue;

/** The queue holds as many tasks as it may; the API answers 429 with Retry-After. */
public class QueueFullException extends RuntimeException {

	public QueueFullException(int running, int waiting) {
		super("the task queue is full: " + running + " running and " + waiting
				+ " waiting (sightline.agent.concurrency + sightline.agent.queue-capacity); retry later");
	}

}
