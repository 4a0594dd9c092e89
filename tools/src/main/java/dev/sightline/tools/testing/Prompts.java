package dev.sightline.tools.testing;

import java.util.List;

import dev.sightline.tools.prompt.ComputerUsePrompt;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * The conversations the library sends: grounding in the form Qwen2.5-VL was trained on (spec §9.2: "Locate ...,
 * output its bbox coordinates using JSON format"), yes/no judgements and schema-bound extraction as one JSON object,
 * and the computer-use tool for {@code act} (spec §9.3–9.5). The screenshot comes first, as in the cookbooks.
 */
final class Prompts {

	private Prompts() {
	}

	static Conversation locate(String target, byte[] modelPng) {
		return Conversation.of(Message.system(ComputerUsePrompt.DEFAULT_SYSTEM_TEXT), Message.user(ImagePart.of(modelPng),
				new TextPart("Locate " + target + " in the screenshot, output its bbox coordinates using JSON format.")));
	}

	static Conversation judge(String statement, byte[] modelPng) {
		return Conversation.of(Message.system("You check statements about a screenshot of a web page. Answer with one"
				+ " JSON object and nothing else: {\"pass\": true or false, \"reason\": \"what you see that decides it,"
				+ " in one sentence\"}."), Message.user(ImagePart.of(modelPng), new TextPart("Statement: " + statement)));
	}

	static Conversation extract(String question, String schemaJson, byte[] modelPng) {
		return Conversation.of(
				Message.system("You read information from a screenshot of a web page. Answer with one JSON value and"
						+ " nothing else, matching this JSON schema: " + schemaJson),
				Message.user(ImagePart.of(modelPng), new TextPart(question)));
	}

	static Conversation act(String goal, ImageSize display, List<String> history, byte[] modelPng) {
		ComputerUsePrompt prompt = ComputerUsePrompt.browser(display).with(ComputerUsePrompt.Extension.ANSWER);
		StringBuilder user = new StringBuilder("The user query: ").append(goal);
		if (!history.isEmpty()) {
			user.append("\nTask progress (You have done the following operation on the current device): ");
			for (String step : history) {
				user.append(step).append("; ");
			}
		}
		return Conversation.of(Message.system(prompt.systemPrompt()),
				Message.user(new TextPart(user.toString()), ImagePart.of(modelPng)));
	}

}
