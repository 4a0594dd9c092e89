package dev.sightline.agent.loop;

import dev.sightline.agent.task.TaskStatus;

/** How a step (or a phase of it) ended: the task goes on, ends with a status, or is left for the next start. */
sealed interface StepOutcome {

	/** The task goes on with its next step. */
	record Next() implements StepOutcome {

	}

	/** The task ends with {@code status}. */
	record Finish(TaskStatus status, String message) implements StepOutcome {

	}

	/** The process is shutting down: the task stays running, so the next start re-queues it. */
	record LeftRunning() implements StepOutcome {

	}

	StepOutcome NEXT = new Next();

	StepOutcome LEFT_RUNNING = new LeftRunning();

	static Finish finish(TaskStatus status, String message) {
		return new Finish(status, message);
	}

}
