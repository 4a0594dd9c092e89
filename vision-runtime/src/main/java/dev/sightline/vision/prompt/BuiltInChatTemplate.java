package dev.sightline.vision.prompt;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VideoPart;

/**
 * The published Qwen2.5-VL chat template (spec §8.1) written out in Java: a default system turn when the first turn
 * is not a system one, {@code <|im_start|>role\n ... <|im_end|>\n} per turn, parts concatenated without separators.
 */
final class BuiltInChatTemplate implements ChatTemplate {

	static final String DEFAULT_SYSTEM = "You are a helpful assistant.";

	@Override
	public String render(Conversation conversation, boolean addGenerationPrompt) {
		StringBuilder out = new StringBuilder();
		if (conversation.messages().get(0).role() != Role.SYSTEM) {
			out.append("<|im_start|>system\n").append(DEFAULT_SYSTEM).append("<|im_end|>\n");
		}
		for (Message message : conversation.messages()) {
			out.append("<|im_start|>").append(message.role().templateName()).append('\n');
			for (Part part : message.parts()) {
				switch (part) {
					case TextPart text -> out.append(text.text());
					case ImagePart image -> out.append("<|vision_start|><|image_pad|><|vision_end|>");
					case VideoPart video -> out.append("<|vision_start|><|video_pad|><|vision_end|>");
				}
			}
			out.append("<|im_end|>\n");
		}
		if (addGenerationPrompt) {
			out.append("<|im_start|>assistant\n");
		}
		return out.toString();
	}

}
