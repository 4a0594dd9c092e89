package dev.sightline.tools.testing;

import java.util.List;

import dev.sightline.tools.profile.ComputerUseTurn;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * The conversations the library sends, each in the form its model family was trained on (the {@link ModelProfile}):
 * grounding a target as a box (a point for families that answer points), yes/no judgements and schema-bound
 * extraction as one JSON object, and the computer-use step for {@code act}. The screenshot comes first, as in the
 * cookbooks.
 */
final class Prompts {

	private Prompts() {
	}

	static Conversation locate(ModelProfile profile, String target, byte[] modelPng) {
		return profile.groundingBox(target, ImagePart.of(modelPng));
	}

	static Conversation judge(ModelProfile profile, String statement, byte[] modelPng) {
		return Conversation.of(Message.system(profile.assertionSystemText()),
				Message.user(ImagePart.of(modelPng), new TextPart("Statement: " + statement)));
	}

	static Conversation extract(ModelProfile profile, String question, String schemaJson, byte[] modelPng) {
		return Conversation.of(Message.system(profile.querySystemText(schemaJson)),
				Message.user(ImagePart.of(modelPng), new TextPart(question)));
	}

	static Conversation act(ModelProfile profile, String goal, ImageSize display, List<String> history,
			byte[] modelPng) {
		return profile.computerUse(new ComputerUseTurn(goal, true, List.of(), display, history, List.of(modelPng)));
	}

}
