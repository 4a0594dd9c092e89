package dev.sightline.agent.result;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;

/**
 * Work between a task's last step and its final status: the agent loop calls it once, with the status and message
 * the steps ended with, before the task is finished, its secrets forgotten and {@code finished} published. It may
 * change the ending (a result that never validated fails a task the model reported successful).
 */
public interface EndOfTask {

	EndOfTask NONE = (task, status, message) -> new Ending(status, message);

	/** How the task ends. */
	record Ending(TaskStatus status, @Nullable String message) {
	}

	Ending beforeFinish(Task task, TaskStatus status, @Nullable String message);

}
