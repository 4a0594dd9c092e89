package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;

/** The turns sent to the model; the last one is normally the user's. */
public record Conversation(List<Message> messages) {

	public Conversation {
		messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("a conversation needs at least one message");
		}
	}

	public static Conversation of(Message... messages) {
		return new Conversation(List.of(messages));
	}

}
