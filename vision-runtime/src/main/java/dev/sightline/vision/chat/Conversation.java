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

	/** The images of every message, in conversation order (the order of their placeholders in the prompt). */
	public List<ImagePart> images() {
		return parts(ImagePart.class);
	}

	/** The videos of every message, in conversation order. */
	public List<VideoPart> videos() {
		return parts(VideoPart.class);
	}

	private <P extends Part> List<P> parts(Class<P> kind) {
		return messages.stream().flatMap(message -> message.parts().stream()).filter(kind::isInstance).map(kind::cast)
			.toList();
	}

}
