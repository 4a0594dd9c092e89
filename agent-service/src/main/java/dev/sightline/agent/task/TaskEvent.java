package dev.sightline.agent.task;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;


/** Something that happened to a task; {@link #type()} is the SSE event name. */
public sealed interface TaskEvent {

	String taskId();

	String type();

	record TaskQueued(String taskId) implements TaskEvent {
		@Override
		public String type() {
			return "queued";
		}
	}

	record TaskStarted(String taskId) implements TaskEvent {
		@Override
		public String type() {
			return "started";
		}
	}

	record StepStarted(String taskId, int step) implements TaskEvent {
		@Override
		public String type() {
			return "step_started";
		}
	}

	record ModelAnswered(String taskId, int step, String output, double modelMs, int attempt, int promptTokens,
			int completionTokens) implements TaskEvent {
		@Override
		public String type() {
			return "model_output";
		}
	}

	record ActionMapped(String taskId, int step, Action action,
			Step.@Nullable Coordinates coordinates) implements TaskEvent {
		@Override
		public String type() {
			return "action";
		}
	}

	record StepFinished(String taskId, int step, String outcome, StepTimings timings, int promptTokens,
			int completionTokens) implements TaskEvent {
		@Override
		public String type() {
			return "step_finished";
		}
	}

	record ApprovalRequested(String taskId, int step, Action action, String reason)
			implements TaskEvent {
		@Override
		public String type() {
			return "approval_requested";
		}
	}

	record ApprovalDecided(String taskId, int step, boolean approved, @Nullable String comment) implements TaskEvent {
		@Override
		public String type() {
			return "approval_decided";
		}
	}

	/** The task's structured result, validated against its output schema (issue 22). */
	record ResultRecorded(String taskId, tools.jackson.databind.JsonNode result) implements TaskEvent {
		@Override
		public String type() {
			return "result";
		}
	}

	record TaskFinished(String taskId, TaskStatus status, @Nullable String message) implements TaskEvent {
		@Override
		public String type() {
			return "finished";
		}
	}

}
