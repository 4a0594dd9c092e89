package dev.sightline.vision.chat;

/** Who speaks a chat turn. */
public enum Role {

	SYSTEM, USER, ASSISTANT;

	/** The name the chat template uses. */
	public String templateName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
