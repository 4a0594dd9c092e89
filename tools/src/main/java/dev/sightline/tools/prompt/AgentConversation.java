package dev.sightline.tools.prompt;

import java.util.ArrayList;
import java.util.List;

import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * A computer-use task's conversation in its model family's form, laid out for a prefix cache: it only grows at the
 * end, so each step's prompt starts with the whole previous prompt and the model's answer to it.
 *
 * <pre>
 * system: the family's tool prompt (UI-TARS has none; its template opens the first user turn)
 * step 1:  user: [the goal and notes] [screenshot]   assistant: the answer   [user: re-ask, assistant: answer]...
 * step 2:  user: [what step 1 did] [screenshot]      assistant: ...
 * </pre>
 *
 * What a step did (each action in the family's own grammar and coordinate space, refusals, "the screen did not
 * change") opens the next step's user turn, before its screenshot. Re-asks of an unusable answer append an
 * assistant turn (the answer) and a user turn (what was wrong).
 *
 * <p>
 * Trimming keeps the reusable prefix as long as possible ({@link HistoryWindow}): the newest K = {@code screenshots}
 * screenshots are always images; once 2K have gathered, the oldest K are replaced by a note each, in their own place,
 * so the prompt changes only from the oldest of them on (all earlier turns stay a prefix) and then grows append-only
 * for K steps again. Whole previous steps are dropped from the front only as a block, once twice {@code steps} have
 * gathered, down to {@code steps}. Without a trim, step n+1's prompt starts with step n's whole prompt followed by its
 * answer.
 */
public final class AgentConversation {

	/** One step: its observation turn (the only one trimming changes) and the turns after it. */
	private static final class StepTurns {

		final int step;

		final List<Part> observation;

		final List<Message> after = new ArrayList<>();

		StepTurns(int step, List<Part> observation) {
			this.step = step;
			this.observation = new ArrayList<>(observation);
		}

		boolean hasScreenshot() {
			return observation.stream().anyMatch(ImagePart.class::isInstance);
		}

		void leaveOutScreenshot() {
			observation.replaceAll(part -> part instanceof ImagePart
					? new TextPart("(the screenshot of step " + step + " is left out)") : part);
		}

	}

	private final ModelProfile profile;

	private final ImageSize display;

	private final HistoryWindow window;

	/** The family's system turn, or none. */
	private final List<Message> system;

	/** Opens the first kept step's user turn. */
	private final TextPart goal;

	private final List<StepTurns> steps = new ArrayList<>();

	private final List<String> pending = new ArrayList<>();

	/**
	 * @param goal the user's task
	 * @param browser whether the target is a browser tab (adds navigation and {@code answer} where the family has them)
	 * @param notes extra lines after the goal (e.g. how secrets are written)
	 * @param display size of the image the model sees, in its pixels (the tool prompt announces it)
	 */
	public AgentConversation(ModelProfile profile, String goal, boolean browser, List<String> notes,
			ImageSize display, HistoryWindow window) {
		this.profile = profile;
		this.display = display;
		this.window = window;
		this.system = system(profile, browser, display);
		this.goal = goal(profile, goal, notes);
	}

	public ModelProfile profile() {
		return profile;
	}

	/** The model-image size the tool prompt announces. */
	public ImageSize display() {
		return display;
	}

	/**
	 * Starts step {@code step} with its screenshot (after what the previous step did and {@code notes}), trims, and
	 * returns the conversation to ask.
	 */
	public Conversation observe(int step, ImagePart screenshot, List<String> notes) {
		List<Part> observation = new ArrayList<>();
		List<String> lines = new ArrayList<>(pending);
		lines.addAll(notes);
		pending.clear();
		if (!lines.isEmpty()) {
			observation.add(new TextPart(String.join("\n", lines) + "\n"));
		}
		observation.add(screenshot);
		steps.add(new StepTurns(step, observation));
		trim();
		return conversation();
	}

	/** Records the model's answer to the current step (the text it generated, or its redacted form). */
	public void answered(String answer) {
		current().after.add(Message.assistant(answer));
	}

	/**
	 * After {@link #answered} with an answer that could not be used: appends what was wrong and the family's form, and
	 * returns the conversation to ask again.
	 */
	public Conversation reask(String problem) {
		current().after.add(Message.user(new TextPart(Prompts.reask(profile, problem))));
		return conversation();
	}

	/** Lines saying what the current step did; they open the next step's turn. */
	public void acted(List<String> lines) {
		pending.addAll(lines);
	}

	/** The conversation as it stands: the system turn, then every kept step's turns, the goal opening the first. */
	public Conversation conversation() {
		List<Message> messages = new ArrayList<>(system);
		if (steps.isEmpty()) {
			messages.add(Message.user(goal));
		}
		for (StepTurns turns : steps) {
			List<Part> parts = new ArrayList<>();
			if (messages.size() == system.size()) {
				// A line break before text (a left-out screenshot, an earlier step's lines), none before an image.
				parts.add(turns.observation.getFirst() instanceof TextPart ? new TextPart(goal.text() + "\n") : goal);
			}
			parts.addAll(turns.observation);
			messages.add(new Message(Role.USER, parts));
			messages.addAll(turns.after);
		}
		return new Conversation(messages);
	}

	private StepTurns current() {
		if (steps.isEmpty()) {
			throw new IllegalStateException("no step observed yet");
		}
		return steps.getLast();
	}

	private void trim() {
		int previous = steps.size() - 1;
		if (previous > 2 * window.steps() || (window.steps() == 0 && previous > 0)) {
			steps.subList(0, previous - window.steps()).clear();
		}
		int images = (int) steps.stream().filter(StepTurns::hasScreenshot).count();
		if (images < 2 * window.screenshots()) {
			return;
		}
		// A block at once: the prompt then changes from the oldest left-out screenshot on, once per K steps.
		for (StepTurns turns : steps) {
			if (images == window.screenshots()) {
				break;
			}
			if (turns.hasScreenshot()) {
				turns.leaveOutScreenshot();
				images--;
			}
		}
	}

	private static List<Message> system(ModelProfile profile, boolean browser, ImageSize display) {
		return switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> {
				ImageSize announced = profile.coordinates().announcedDisplay(display);
				ComputerUsePrompt prompt = browser
						? ComputerUsePrompt.browser(announced).with(ComputerUsePrompt.Extension.ANSWER)
						: ComputerUsePrompt.desktop(announced);
				yield List.of(Message.system(prompt.systemPrompt()));
			}
			// UI-TARS has no system prompt: the template, with the instruction, is the user's first text.
			case UI_TARS_1_5 -> List.of();
		};
	}

	private static TextPart goal(ModelProfile profile, String goal, List<String> notes) {
		StringBuilder text = new StringBuilder(goal);
		notes.forEach(note -> text.append('\n').append(note));
		return new TextPart(switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> "The user query: " + text;
			case UI_TARS_1_5 -> UiTarsPrompt.computerUse(text.toString(), "English");
		});
	}

}
