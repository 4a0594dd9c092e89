package dev.sightline.agent.loop;

import java.util.List;

import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.profile.ComputerUseTurn;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * The conversation of one step in the model family's own form ({@link ModelProfile#computerUse}): the goal, a
 * compact history of previous actions and the latest screenshots, newest last. Secrets appear only as the goal's
 * {@code {{name}}} placeholders.
 */
public final class PromptBuilder {

	private PromptBuilder() {
	}

	static Conversation build(ModelProfile profile, String goal, TaskTarget target, ImageSize display,
			List<String> history, List<ImagePart> screenshots) {
		boolean browser = target instanceof TaskTarget.Browser;
		List<String> notes = browser
				? List.of("Secrets are written as {{name}}; type them exactly like that and they will be filled in.")
				: List.of();
		return profile.computerUse(new ComputerUseTurn(goal, browser, notes, display, history, screenshots));
	}

	/** Adds the model's unparseable answer and the parser's complaint, so the re-ask can correct itself. */
	static Conversation reask(ModelProfile profile, Conversation conversation, String rawAnswer, String problem) {
		return profile.reask(conversation, rawAnswer, problem);
	}

}
