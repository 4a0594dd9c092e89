package dev.sightline.vision.chat;

import java.util.Objects;

/** Plain text of a turn. */
public record TextPart(String text) implements Part {

	public TextPart {
		Objects.requireNonNull(text, "text");
	}

}
