package dev.sightline.agent.loop;

import dev.sightline.agent.task.Task;
import dev.sightline.tools.execute.Executor;

/** Opens the executor of a task's target (a browser context, an X display); the loop closes it. */
@FunctionalInterface
public interface TargetOpener {

	Executor open(Task task);

}
