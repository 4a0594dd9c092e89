package dev.sightline.tools.actions;

import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.sightline.tools.coords.ModelPoint;

/**
 * One step the agent takes: the {@code computer_use} actions of Qwen2.5-VL (spec §9.4, plus {@code triple_click}
 * and {@code answer} that later Qwen agents use) and browser navigation and JavaScript dialogs as Sightline's
 * extensions. Points are in
 * model pixels; executors map them with a {@code CoordinateMapping}.
 * <p>
 * As JSON (the task API's steps and events, the stores) an action is its record's fields plus its {@link #name()}
 * under {@code "action"}: {@code {"action":"left_click","at":{"xPx":120,"yPx":48}}}. Fields an older version wrote
 * and this one no longer has are ignored, so stored steps keep reading.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({ @JsonSubTypes.Type(value = Key.class, name = Key.NAME),
		@JsonSubTypes.Type(value = TypeText.class, name = TypeText.NAME),
		@JsonSubTypes.Type(value = MouseMove.class, name = MouseMove.NAME),
		@JsonSubTypes.Type(value = LeftClick.class, name = LeftClick.NAME),
		@JsonSubTypes.Type(value = RightClick.class, name = RightClick.NAME),
		@JsonSubTypes.Type(value = MiddleClick.class, name = MiddleClick.NAME),
		@JsonSubTypes.Type(value = DoubleClick.class, name = DoubleClick.NAME),
		@JsonSubTypes.Type(value = TripleClick.class, name = TripleClick.NAME),
		@JsonSubTypes.Type(value = LeftClickDrag.class, name = LeftClickDrag.NAME),
		@JsonSubTypes.Type(value = Scroll.class, name = Scroll.NAME),
		@JsonSubTypes.Type(value = Wait.class, name = Wait.NAME),
		@JsonSubTypes.Type(value = Terminate.class, name = Terminate.NAME),
		@JsonSubTypes.Type(value = Answer.class, name = Answer.NAME),
		@JsonSubTypes.Type(value = Navigate.class, name = Navigate.NAME),
		@JsonSubTypes.Type(value = Back.class, name = Back.NAME),
		@JsonSubTypes.Type(value = Forward.class, name = Forward.NAME),
		@JsonSubTypes.Type(value = Reload.class, name = Reload.NAME),
		@JsonSubTypes.Type(value = AnswerDialog.class, name = AnswerDialog.NAME) })
@JsonIgnoreProperties(ignoreUnknown = true)
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

	/**
	 * This action with {@code text} applied to every free text it carries (what is typed, the URL, the answer), e.g.
	 * to redact secrets before it is shown or stored; actions without free text return themselves.
	 */
	default Action mapText(UnaryOperator<String> text) {
		return this;
	}

}
