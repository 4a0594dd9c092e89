package dev.sightline.vision.chat;

import java.util.Locale;

/**
 * Why a generation ended: one closed set for the in-process decoders, the scheduler's metrics, the OpenAI-compatible
 * server and the client of a remote endpoint.
 */
public enum FinishReason {

	/** A stop token (eos) or a stop string ended the answer. */
	STOP("stop"),
	/** The maximum number of new tokens was reached. */
	LENGTH("length"),
	/** The answer is one or more function calls (OpenAI's {@code tool_calls}; only a server that parsed calls says so). */
	TOOL_CALLS("tool_calls"),
	/** A remote endpoint withheld or cut the answer by its content policy. */
	CONTENT_FILTER("content_filter"),
	/** The caller asked to stop (listener or cancellation); OpenAI has no such reason, its wire name is {@code stop}. */
	CANCELLED("stop");

	private final String wireName;

	FinishReason(String wireName) {
		this.wireName = wireName;
	}

	/** The {@code finish_reason} OpenAI's API writes for it. */
	public String wireName() {
		return wireName;
	}

	/** The lower-case name, for metric labels and logs ({@code cancelled} stays distinct from {@code stop} there). */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * An endpoint's {@code finish_reason}: OpenAI's names, and the deprecated {@code function_call} as
	 * {@link #TOOL_CALLS}. An absent or unknown one (servers add their own, such as {@code abort}) reads as
	 * {@link #STOP}: the answer text is what it is, and the reason only describes it.
	 */
	public static FinishReason fromWire(String name) {
		if (name == null) {
			return STOP;
		}
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "length" -> LENGTH;
			case "tool_calls", "function_call" -> TOOL_CALLS;
			case "content_filter" -> CONTENT_FILTER;
			default -> STOP;
		};
	}

}
