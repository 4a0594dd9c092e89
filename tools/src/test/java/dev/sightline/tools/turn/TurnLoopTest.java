package dev.sightline.tools.turn;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.HistoryWindow;
import dev.sightline.tools.turn.TurnLoop.Asked;
import dev.sightline.tools.turn.TurnLoop.Ending;
import dev.sightline.tools.turn.TurnLoop.Observed;
import dev.sightline.tools.turn.TurnLoop.Performed;
import dev.sightline.tools.turn.TurnLoop.Turn;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.RgbImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnLoopTest {

	/** The model boundary: answers the scripted texts in order, one per call. */
	private static final class Scripted implements VisionLanguageModel {

		final Deque<String> answers;

		final List<Conversation> asked = new ArrayList<>();

		Scripted(String... answers) {
			this.answers = new ArrayDeque<>(List.of(answers));
		}

		@Override
		public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
			asked.add(conversation);
			return new Generation(answers.removeFirst(), List.of(), FinishReason.STOP, 10, List.of(), 0, 1, 0, 3);
		}

		@Override
		public PixelBudget pixelBudget() {
			return new PixelBudget(3136, 1_003_520);
		}

		@Override
		public String name() {
			return "scripted";
		}

	}

	/** A caller that performs every action on nothing but a list, and remembers what the loop told it. */
	private static class Recording implements TurnLoop.Driver<String> {

		final TurnPipeline turns;

		final List<String> calls = new ArrayList<>();

		final List<Turn<String>> recorded = new ArrayList<>();

		final List<TurnLoop.Phase> phases = new ArrayList<>();

		Recording(TurnPipeline turns) {
			this.turns = turns;
		}

		@Override
		public AgentConversation conversation(ModelView first) {
			return new AgentConversation(turns.profile(), "the goal", true, List.of(), first.size(),
					HistoryWindow.DEFAULT);
		}

		@Override
		public Observed observe(int step) {
			calls.add("observe " + step);
			RgbImage gray = RgbImage.of(new byte[640 * 360 * 3], 640, 360);
			return new Observed(turns.view(Screenshot.ofPixels(gray, 1.0, Instant.now())), List.of());
		}

		@Override
		public Asked<String> ask(Conversation question, ModelView view, int attempt) {
			calls.add("ask " + attempt);
			return new Asked.Replied<>(turns.ask(question, GenerationOptions.GREEDY, view));
		}

		@Override
		public void announce(int step, Action action, CoordinateMapping mapping) {
			calls.add("announce " + action.name());
		}

		@Override
		public Performed<String> perform(int step, Action action, CoordinateMapping mapping) {
			calls.add("perform " + action.name());
			return new Performed.Ran<>("did " + action.name());
		}

		@Override
		public @Nullable String record(Turn<String> turn) {
			recorded.add(turn);
			return null;
		}

		@Override
		public void passed(TurnLoop.Phase phase) {
			phases.add(phase);
		}

	}

	private static final String CLICK = call("{\"action\": \"left_click\", \"coordinate\": [100, 50]}");

	private static final String TYPE = call("{\"action\": \"type\", \"text\": \"hello\"}");

	private static final String DONE = call("{\"action\": \"terminate\", \"status\": \"success\"}");

	private static final String GIVE_UP = call("{\"action\": \"terminate\", \"status\": \"failure\"}");

	private static String call(String arguments) {
		return "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": " + arguments + "}\n</tool_call>";
	}

	private static TurnPipeline turns(Scripted model) {
		return new TurnPipeline(model, ModelProfile.QWEN2_5_VL);
	}

	@Test
	void runsEachStepsActionsInOrderAndEndsWhenTheModelSaysItIsDone() {
		Scripted model = new Scripted(CLICK + "\n" + TYPE, DONE);
		Recording driver = new Recording(turns(model));

		Ending<String> ending = new TurnLoop<String>(driver.turns, 5, 0).run(driver);

		assertThat(ending).isEqualTo(new Ending.Done<String>(2));
		assertThat(driver.calls).containsExactly("observe 1", "ask 0", "announce left_click", "perform left_click",
				"announce type", "perform type", "observe 2", "ask 0", "announce terminate");
		assertThat(driver.recorded).extracting(Turn::performed)
			.containsExactly(List.of("did left_click", "did type"), List.of("terminate success"));
		assertThat(driver.recorded.get(0).actions()).hasExactlyElementsOfTypes(LeftClick.class, TypeText.class);
		assertThat(driver.recorded.get(0).ending()).isNull();
		assertThat(driver.recorded.get(1).ending()).isEqualTo(ending);
		// What step 1 did opens step 2's turn, in the family's own grammar, before its screenshot.
		assertThat(lastUserText(model.asked.get(1))).contains("Step 1: ").contains("left_click").contains("hello");
		assertThat(driver.phases).containsExactly(TurnLoop.Phase.PROMPT, TurnLoop.Phase.MODEL, TurnLoop.Phase.PARSE,
				TurnLoop.Phase.EXECUTE, TurnLoop.Phase.PROMPT, TurnLoop.Phase.MODEL, TurnLoop.Phase.PARSE,
				TurnLoop.Phase.EXECUTE);
	}

	@Test
	void theModelGivingUpOrAnsweringEndsTheLoopWithoutPerformingTheRest() {
		Scripted gaveUp = new Scripted(GIVE_UP + "\n" + CLICK);
		Recording first = new Recording(turns(gaveUp));
		assertThat(new TurnLoop<String>(first.turns, 5, 0).run(first)).isEqualTo(new Ending.GaveUp<String>(1));
		assertThat(first.calls).doesNotContain("perform left_click");

		Scripted answered = new Scripted(call("{\"action\": \"answer\", \"text\": \"42 items\"}"));
		Recording second = new Recording(turns(answered));
		assertThat(new TurnLoop<String>(second.turns, 5, 0).run(second))
			.isEqualTo(new Ending.Answered<String>("42 items", 1));
		assertThat(second.recorded.getFirst().performed()).containsExactly("answer");
	}

	@Test
	void anUnusableAnswerIsAskedAgainWithWhatWasWrongThenEndsTheLoop() {
		Scripted model = new Scripted("I would click the button", CLICK, "nor now", "nope");
		Recording driver = new Recording(turns(model));

		// One re-ask: step 1's second answer is usable; step 2 stays unusable after two asks.
		Ending<String> ending = new TurnLoop<String>(driver.turns, 5, 1).run(driver);

		assertThat(driver.calls).containsSubsequence("observe 1", "ask 0", "ask 1", "observe 2", "ask 0", "ask 1");
		assertThat(ending).isInstanceOfSatisfying(Ending.Unparseable.class, unusable -> {
			assertThat(unusable.attempts()).isEqualTo(2);
			assertThat(unusable.steps()).isEqualTo(2);
			assertThat(unusable.answer()).isEqualTo("nope");
		});
		// The re-ask keeps the unusable answer and says what was wrong with it.
		assertThat(model.asked.get(1).messages()).extracting(Message::role).endsWith(Role.ASSISTANT, Role.USER);
		assertThat(lastUserText(model.asked.get(1))).contains(((Ending.Unparseable<?>) ending).problem().substring(0, 10));
		assertThat(driver.recorded.getFirst().replies()).extracting(Reply::text)
			.containsExactly("I would click the button", CLICK);
		Turn<String> last = driver.recorded.getLast();
		assertThat(last.actions()).isNull();
		assertThat(last.problem()).isEqualTo(((Ending.Unparseable<?>) ending).problem());
		assertThat(last.replies()).extracting(Reply::text).containsExactly("nor now", "nope");
	}

	@Test
	void aSkippedActionSkipsTheRestOfItsStepAndTellsTheModelNextTurn() {
		Scripted model = new Scripted(TYPE + "\n" + CLICK, DONE);
		Recording driver = new Recording(turns(model)) {
			@Override
			public Performed<String> perform(int step, Action action, CoordinateMapping mapping) {
				calls.add("perform " + action.name());
				return new Performed.Skipped<>("not run: refused", "(step " + step + ": refused)");
			}
		};

		assertThat(new TurnLoop<String>(driver.turns, 5, 0).run(driver)).isEqualTo(new Ending.Done<String>(2));

		assertThat(driver.calls).doesNotContain("perform left_click");
		assertThat(driver.recorded.getFirst().performed()).containsExactly("not run: refused");
		assertThat(lastUserText(model.asked.get(1))).contains("(step 1: refused)");
	}

	@Test
	void theCallerStopsTheLoopBeforeAStepWhileTheModelAnswersOrAtAnAction() {
		Recording atAction = new Recording(turns(new Scripted(CLICK + "\n" + TYPE))) {
			@Override
			public Performed<String> perform(int step, Action action, CoordinateMapping mapping) {
				return new Performed.Stopped<>("refused by a person", "not run: refused");
			}
		};
		assertThat(new TurnLoop<String>(atAction.turns, 5, 0).run(atAction))
			.isEqualTo(new Ending.Stopped<>("refused by a person", 1));
		// Recorded, so the refused step shows what was refused.
		assertThat(atAction.recorded.getFirst().performed()).containsExactly("not run: refused");

		Recording whileAsking = new Recording(turns(new Scripted())) {
			@Override
			public Asked<String> ask(Conversation question, ModelView view, int attempt) {
				return new Asked.Stopped<>("cancelled");
			}
		};
		assertThat(new TurnLoop<String>(whileAsking.turns, 5, 0).run(whileAsking))
			.isEqualTo(new Ending.Stopped<>("cancelled", 1));
		assertThat(whileAsking.recorded).isEmpty();

		Recording before = new Recording(turns(new Scripted(CLICK))) {
			int checks;

			@Override
			public @Nullable String interrupted() {
				// Free before step 1 and its click; the deadline has passed by step 2.
				return ++checks > 2 ? "deadline" : null;
			}
		};
		assertThat(new TurnLoop<String>(before.turns, 5, 0).run(before)).isEqualTo(new Ending.Stopped<>("deadline", 1));
		assertThat(before.calls).containsExactly("observe 1", "ask 0", "announce left_click", "perform left_click");
	}

	@Test
	void endsOutOfStepsAfterMaxStepsAndRefusesANonsenseLimit() {
		Recording driver = new Recording(turns(new Scripted(CLICK, CLICK)));

		assertThat(new TurnLoop<String>(driver.turns, 2, 0).run(driver)).isEqualTo(new Ending.OutOfSteps<String>(2));
		assertThat(driver.recorded).hasSize(2);
		assertThatThrownBy(() -> new TurnLoop<String>(driver.turns, 0, 0))
			.hasMessage("maxSteps must be >= 1, got 0");
		assertThatThrownBy(() -> new TurnLoop<String>(driver.turns, 1, -1)).hasMessage("reasks must be >= 0, got -1");
	}

	/** The text of the conversation's last user turn (what the step's turn opens with). */
	private static String lastUserText(Conversation conversation) {
		Message last = conversation.messages().getLast();
		StringBuilder text = new StringBuilder();
		for (Part part : last.parts()) {
			if (part instanceof TextPart textPart) {
				text.append(textPart.text());
			}
		}
		return text.toString();
	}

}
