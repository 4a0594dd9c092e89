package dev.sightline.vision.prompt;

import dev.sightline.vision.chat.Conversation;

/** A family's way from a conversation to model inputs: its chat template, image and video processing, tokens. */
@FunctionalInterface
public interface ConversationPrompts {

	/**
	 * @param addGenerationPrompt whether to open the assistant's turn after the conversation
	 * @throws PromptException when the conversation cannot be rendered or is too long
	 */
	PreparedPrompt prepare(Conversation conversation, boolean addGenerationPrompt);

}
