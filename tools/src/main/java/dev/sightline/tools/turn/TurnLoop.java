package dev.sightline.tools.turn;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;

/**
 * The agent loop every caller shares (a task of the service, {@code ai.act(goal)} of the test library): step after
 * step it observes the screen, asks the model (re-asking an unusable answer), and runs the answer's actions in order
 * until one ends the goal, keeping the conversation ({@link AgentConversation}) and the step count. What differs
 * between callers (how the screen is taken, how the model is called and may be stopped, how an action is approved and
 * performed, what a step leaves behind) is the caller's {@link Driver}; how the loop ended is an {@link Ending}.
 *
 * <pre>
 * step n: interrupted? → observe → conversation → ask (→ re-ask)* → per action: announce → ends the goal?
 *         → interrupted? → perform → … → what the step did opens the next turn → record
 * </pre>
 *
 * The loop holds no state between runs (one {@link #run} per goal, on the caller's thread); a driver's exception ends
 * the run and reaches the caller unchanged.
 *
 * @param <S> the caller's own reasons to stop (a cancel, a deadline, a person's refusal)
 */
public final class TurnLoop<S> {

	/** The phases the loop itself runs, for a caller that times them (the screenshot is the caller's own). */
	public enum Phase {

		/** The screenshot joins the conversation (and old ones leave it). */
		PROMPT,
		/** The model answers. */
		MODEL,
		/** The answer is read into actions, or a re-ask is written. */
		PARSE,
		/** The step's actions run (approval and performing included). */
		EXECUTE

	}

	/**
	 * The step's screen as the model gets it.
	 *
	 * @param notes lines that open the step's turn after what the previous step did (e.g. "the screen did not change")
	 */
	public record Observed(ModelView view, List<String> notes) {
	}

	/** The model's reply, or the caller's reason to stop while the model answered. */
	public sealed interface Asked<S> {

		record Replied<S>(Reply reply) implements Asked<S> {
		}

		record Stopped<S>(S reason) implements Asked<S> {
		}

	}

	/**
	 * An answer as the caller wants it kept and read (e.g. with secrets redacted).
	 *
	 * @param kept the text the conversation keeps (and the caller records)
	 * @param parsed the text the actions are read from
	 */
	public record Heard(String kept, String parsed) {

		public static Heard asIs(Reply reply) {
			return new Heard(reply.text(), reply.text());
		}

	}

	/** What performing one action came to. */
	public sealed interface Performed<S> {

		/** It ran; {@code line} says what it did. The next action follows. */
		record Ran<S>(String line) implements Performed<S> {
		}

		/**
		 * It was not run and the step's remaining actions are skipped, but the goal goes on: {@code line} for the
		 * step's record, {@code note} for the model's next turn (so it may recover, e.g. navigate back).
		 */
		record Skipped<S>(String line, String note) implements Performed<S> {
		}

		/** The loop stops for the caller's {@code reason}; {@code line}, when not null, joins the step's record. */
		record Stopped<S>(S reason, @Nullable String line) implements Performed<S> {
		}

	}

	/**
	 * A step whose answer was read, as the caller records it.
	 *
	 * @param replies every reply of the step, re-asks included, oldest first
	 * @param answer the last answer as the conversation kept it
	 * @param actions the actions read from it; null when it stayed unusable
	 * @param performed what each action that was reached did, in order (the ending one included)
	 * @param problem what was wrong with the last answer, when {@code actions} is null
	 * @param ending how the loop ends with this step; null when the next step follows
	 */
	public record Turn<S>(int step, Observed observed, List<Reply> replies, String answer,
			@Nullable List<Action> actions, List<String> performed, @Nullable String problem,
			@Nullable Ending<S> ending) {

		/** The mapping the step's actions were read in: that of the last reply. */
		public CoordinateMapping mapping() {
			return replies.getLast().mapping();
		}

	}

	/** How the loop ended; {@code steps} is the number of steps it began. */
	public sealed interface Ending<S> {

		int steps();

		/** The model said the goal is reached ({@code terminate} with success). */
		record Done<S>(int steps) implements Ending<S> {
		}

		/** The model gave up ({@code terminate} with failure). */
		record GaveUp<S>(int steps) implements Ending<S> {
		}

		/** The model answered the goal's question ({@code answer}). */
		record Answered<S>(String text, int steps) implements Ending<S> {
		}

		/** The step limit was reached without an ending action. */
		record OutOfSteps<S>(int steps) implements Ending<S> {
		}

		/** The last step's answer stayed unusable after {@code attempts} asks; {@code answer} is the last one kept. */
		record Unparseable<S>(String problem, String answer, int attempts, int steps) implements Ending<S> {
		}

		/** The caller stopped the loop for {@code reason}. */
		record Stopped<S>(S reason, int steps) implements Ending<S> {
		}

	}

	/** What a caller supplies: the few things that differ between an agent's task and a test's goal. */
	public interface Driver<S> {

		/** The conversation, opened on the first step's view (its tool prompt announces the size the model sees). */
		AgentConversation conversation(ModelView first);

		/** A reason to stop now (checked before each step and before each action that does not end the goal). */
		default @Nullable S interrupted() {
			return null;
		}

		/** The screen for step {@code step}, as the model gets it. */
		Observed observe(int step);

		/** Asks the model; {@code view} is the screen its points refer to; {@code attempt} 0 is the first ask. */
		Asked<S> ask(Conversation question, ModelView view, int attempt);

		/** The answer as it is kept and read; as the model wrote it unless overridden. */
		default Heard heard(int step, Reply reply, int attempt) {
			return Heard.asIs(reply);
		}

		/** Each action as it is reached, before it ends the goal or is performed. */
		default void announce(int step, Action action, CoordinateMapping mapping) {
		}

		/** Runs one action that does not end the goal. */
		Performed<S> perform(int step, Action action, CoordinateMapping mapping);

		/**
		 * The step is done (every step whose answer was read, the last one included): the caller records it, and
		 * may stop the loop (e.g. while pausing between steps); null to go on.
		 */
		default @Nullable S record(Turn<S> turn) {
			return null;
		}

		/** {@code phase} of the current step has just ended. */
		default void passed(Phase phase) {
		}

	}

	private final TurnPipeline turns;

	private final int maxSteps;

	private final int reasks;

	/**
	 * @param maxSteps the most steps to run
	 * @param reasks how many times an unusable answer is asked again within a step (0: never)
	 */
	public TurnLoop(TurnPipeline turns, int maxSteps, int reasks) {
		if (maxSteps < 1) {
			throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
		}
		if (reasks < 0) {
			throw new IllegalArgumentException("reasks must be >= 0, got " + reasks);
		}
		this.turns = turns;
		this.maxSteps = maxSteps;
		this.reasks = reasks;
	}

	/** Runs steps until the goal ends, the caller stops it, or {@code maxSteps} have run. */
	public Ending<S> run(Driver<S> driver) {
		AgentConversation conversation = null;
		for (int n = 1; n <= maxSteps; n++) {
			S stop = driver.interrupted();
			if (stop != null) {
				return new Ending.Stopped<>(stop, n - 1);
			}
			Observed seen = driver.observe(n);
			if (conversation == null) {
				conversation = driver.conversation(seen.view());
			}
			Ending<S> ending = step(driver, conversation, n, seen);
			if (ending != null) {
				return ending;
			}
		}
		return new Ending.OutOfSteps<>(maxSteps);
	}

	/** One step after its observation: ask, act, record; how the loop ends, or null for the next step. */
	private @Nullable Ending<S> step(Driver<S> driver, AgentConversation conversation, int n, Observed seen) {
		ImagePart screenshot = seen.view().image();
		Conversation question = conversation.observe(n, screenshot, seen.notes());
		driver.passed(Phase.PROMPT);
		List<Reply> replies = new ArrayList<>();
		String answer = "";
		String problem = "";
		for (int attempt = 0; attempt <= reasks; attempt++) {
			Asked<S> asked = driver.ask(question, seen.view(), attempt);
			driver.passed(Phase.MODEL);
			if (asked instanceof Asked.Stopped<S> stopped) {
				// Ended while the model answered: no answer to record.
				return new Ending.Stopped<>(stopped.reason(), n);
			}
			Reply reply = ((Asked.Replied<S>) asked).reply();
			replies.add(reply);
			Heard heard = driver.heard(n, reply, attempt);
			answer = heard.kept();
			conversation.answered(answer);
			List<Action> actions;
			try {
				actions = turns.actions(reply, heard.parsed());
			}
			catch (UnparseableOutputException e) {
				problem = e.getMessage();
				question = conversation.reask(problem);
				driver.passed(Phase.PARSE);
				continue;
			}
			driver.passed(Phase.PARSE);
			return act(driver, conversation, new Turn<>(n, seen, replies, answer, actions, List.of(), null, null));
		}
		Ending<S> unusable = new Ending.Unparseable<>(problem, answer, reasks + 1, n);
		driver.record(new Turn<>(n, seen, replies, answer, null, List.of(), problem, unusable));
		return unusable;
	}

	/** Runs the step's actions in order until one ends the goal or stops; what they did opens the next turn. */
	private @Nullable Ending<S> act(Driver<S> driver, AgentConversation conversation, Turn<S> read) {
		int n = read.step();
		CoordinateMapping mapping = read.mapping();
		List<String> performed = new ArrayList<>();
		List<String> history = new ArrayList<>();
		Ending<S> ending = null;
		for (Action action : read.actions()) {
			driver.announce(n, action, mapping);
			history.add(Prompts.historyEntry(turns.profile(), n, action, mapping.model()));
			if (action.endsTask()) {
				performed.add(action instanceof Terminate terminate ? "terminate " + terminate.status().wireName()
						: "answer");
				ending = ending(action, n);
				break;
			}
			S stop = driver.interrupted();
			if (stop != null) {
				ending = new Ending.Stopped<>(stop, n);
				break;
			}
			Performed<S> done = driver.perform(n, action, mapping);
			if (done instanceof Performed.Ran<S> ran) {
				performed.add(ran.line());
				continue;
			}
			if (done instanceof Performed.Skipped<S> skipped) {
				performed.add(skipped.line());
				history.add(skipped.note());
				break;
			}
			Performed.Stopped<S> stopped = (Performed.Stopped<S>) done;
			if (stopped.line() != null) {
				performed.add(stopped.line());
			}
			ending = new Ending.Stopped<>(stopped.reason(), n);
			break;
		}
		conversation.acted(history);
		driver.passed(Phase.EXECUTE);
		S stop = driver.record(new Turn<>(n, read.observed(), read.replies(), read.answer(), read.actions(),
				List.copyOf(performed), null, ending));
		if (ending != null) {
			return ending;
		}
		return stop == null ? null : new Ending.Stopped<>(stop, n);
	}

	private static <S> Ending<S> ending(Action action, int n) {
		return switch (action) {
			case Terminate terminate when terminate.status() == Terminate.Status.SUCCESS -> new Ending.Done<>(n);
			case Terminate terminate -> new Ending.GaveUp<>(n);
			case Answer answer -> new Ending.Answered<>(answer.text(), n);
			default -> throw new IllegalArgumentException(action.name() + " does not end a goal");
		};
	}

}
