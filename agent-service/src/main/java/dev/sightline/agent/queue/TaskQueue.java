package dev.sightline.agent.queue;

import java.util.function.Consumer;

/** Accepts task ids and runs each with the runner given at start; memory by default, Redis as an alternative. */
public interface TaskQueue extends AutoCloseable {

	/** Starts the workers; each taken id is passed to {@code runner} on its own virtual thread. */
	void start(Consumer<String> runner);

	/** Adds a task id or throws {@link QueueFullException}. */
	void submit(String taskId);

	int waiting();

	int running();

	@Override
	void close();

}
