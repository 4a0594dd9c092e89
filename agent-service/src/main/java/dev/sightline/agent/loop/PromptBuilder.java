package dev.sightline.agent.loop;

import java.util.ArrayList;
import java.util.List;

import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.prompt.ComputerUsePrompt;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * The conversation of one step (spec §9.3, §9.5): the computer-use system prompt for the resized display, then the
 * goal, a compact history of previous actions and the latest screenshots, newest last. Secrets appear only as the
 * goal's {@code {{name}}} placeholders.
 */
public final class PromptBuilder {

	private PromptBuilder() {
	}

	static Conversation build(String goal, TaskTarget target, ImageSize display, List<String> history,
			List<byte[]> screenshots) {
		ComputerUsePrompt prompt = target instanceof TaskTarget.Browser ? ComputerUsePrompt.browser(display)
			.with(ComputerUsePrompt.Extension.ANSWER) : ComputerUsePrompt.desktop(display);
		StringBuilder user = new StringBuilder("The user query: ").append(goal);
		if (target instanceof TaskTarget.Browser) {
			user.append("\nSecrets are written as {{name}}; type them exactly like that and they will be filled in.");
		}
		if (!history.isEmpty()) {
			user.append("\nTask progress (You have done the following operation on the current device): ");
			for (String step : history) {
				user.append(step).append("; ");
			}
		}
		List<Part> parts = new ArrayList<>();
		parts.add(new TextPart(user.toString()));
		for (int i = 0; i < screenshots.size(); i++) {
			if (screenshots.size() > 1) {
				parts.add(new TextPart(i == screenshots.size() - 1 ? "\nCurrent screenshot:"
						: "\nEarlier screenshot " + (i + 1) + ":"));
			}
			parts.add(ImagePart.of(screenshots.get(i)));
		}
		return new Conversation(
				List.of(Message.system(prompt.systemPrompt()), new Message(dev.sightline.vision.chat.Role.USER, parts)));
	}

	/** Adds the model's unparseable answer and the parser's complaint, so the re-ask can correct itself. */
	static Conversation reask(Conversation conversation, String rawAnswer, String problem) {
		List<Message> messages = new ArrayList<>(conversation.messages());
		messages.add(Message.assistant(rawAnswer));
		messages.add(Message.user(new TextPart("Your answer could not be used: " + problem
				+ ". Answer with exactly one <tool_call>{\"name\": \"computer_use\", \"arguments\": {...}}</tool_call>.")));
		return new Conversation(messages);
	}

}
