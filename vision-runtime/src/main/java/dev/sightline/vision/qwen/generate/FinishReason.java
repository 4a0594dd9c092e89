package dev.sightline.vision.qwen.generate;

import java.util.Locale;

/** Why generation ended. */
public enum FinishReason {

	/** A stop token (eos) was generated. */
	STOP,
	/** The maximum number of new tokens was reached. */
	LENGTH,
	/** The listener asked to stop. */
	CANCELLED;

	/** The name {@code chat.Generation} and OpenAI use. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

}
