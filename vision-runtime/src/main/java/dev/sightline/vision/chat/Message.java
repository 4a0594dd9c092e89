package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;

/** One chat turn. */
public record Message(Role role, List<Part> parts) {

	public Message {
		Objects.requireNonNull(role, "role");
		parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
	}

	public static Message system(String text) {
		return new Message(Role.SYSTEM, List.of(new TextPart(text)));
	}

	public static Message user(Part... parts) {
		return new Message(Role.USER, List.of(parts));
	}

	public static Message assistant(String text) {
		return new Message(Role.ASSISTANT, List.of(new TextPart(text)));
	}

}
