package dev.sightline.tools.actions;

import java.util.List;

import dev.sightline.tools.coords.ModelPoint;

/**
 * One step the agent takes: the {@code computer_use} actions of Qwen2.5-VL (spec §9.4, plus {@code triple_click}
 * and {@code answer} that later Qwen agents use) and browser navigation and JavaScript dialogs as Sightline's
 * extensions. Points are in
 * model pixels; executors map them with a {@code CoordinateMapping}.
 */
public sealed interface Action permits Key, TypeText, MouseMove, Click, LeftClickDrag, Scroll, Wait, Terminate,
		Answer, Navigate, Back, Forward, Reload, AnswerDialog {

	/** The action's name as the model writes it in {@code "action": "..."}. */
	String name();

	/** Every model point this action uses, so a caller can check them all before acting. */
	default List<ModelPoint> points() {
		return List.of();
	}

	/** Whether the task ends with this action ({@code terminate}, {@code answer}). */
	default boolean endsTask() {
		return false;
	}

}
