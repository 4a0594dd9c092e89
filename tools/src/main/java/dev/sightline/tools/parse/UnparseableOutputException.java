package dev.sightline.tools.parse;

import dev.sightline.tools.ToolsException;

/**
 * The model's output holds no usable action. Keeps the raw text and a {@link Reason} so the agent loop can show the
 * model what went wrong and ask again.
 */
public class UnparseableOutputException extends ToolsException {

	/** Why the output was rejected. */
	public enum Reason {

		/** Neither a {@code <tool_call>} nor any JSON object or grounding answer was found. */
		NO_TOOL_CALL,
		/** A tool call was found but its JSON could not be read, even leniently. */
		MALFORMED_JSON,
		/** The JSON names a function or action Sightline does not know. */
		UNKNOWN_ACTION,
		/** An action lacks a required argument or has one out of range. */
		INVALID_ARGUMENT,
		/** The output is longer than any real tool call. */
		TOO_LONG

	}

	private final String rawOutput;

	private final Reason reason;

	public UnparseableOutputException(Reason reason, String message, String rawOutput) {
		super(message);
		this.reason = reason;
		this.rawOutput = rawOutput;
	}

	public UnparseableOutputException(Reason reason, String message, String rawOutput, Throwable cause) {
		super(message, cause);
		this.reason = reason;
		this.rawOutput = rawOutput;
	}

	public String rawOutput() {
		return rawOutput;
	}

	public Reason reason() {
		return reason;
	}

}
