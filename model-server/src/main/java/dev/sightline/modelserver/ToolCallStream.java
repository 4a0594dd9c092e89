package dev.sightline.modelserver;

/**
 * The streamed text of one choice while tools are offered: text before a {@code <tool_call>} goes out as content
 * deltas at once; from the tag on it is held back, to be sent as {@code tool_calls} deltas once the answer is
 * complete (or as content, when it turns out not to be a call). A piece ending in the start of the tag is held
 * until the next piece shows whether it is one.
 */
final class ToolCallStream {

	private final StringBuilder held = new StringBuilder();

	private boolean inCall;

	/** The content to send now for {@code piece} (possibly empty). */
	String accept(String piece) {
		held.append(piece);
		if (inCall) {
			return "";
		}
		int at = held.indexOf(ToolCalling.OPEN);
		if (at >= 0) {
			inCall = true;
			String before = held.substring(0, at);
			held.delete(0, at);
			return before;
		}
		int keep = partialTagLength(held);
		String out = held.substring(0, held.length() - keep);
		held.delete(0, held.length() - keep);
		return out;
	}

	/** What was held back, for an answer that held no call after all. */
	String rest() {
		String rest = held.toString();
		held.setLength(0);
		return rest;
	}

	private static int partialTagLength(CharSequence text) {
		for (int length = Math.min(ToolCalling.OPEN.length() - 1, text.length()); length > 0; length--) {
			if (ToolCalling.OPEN.startsWith(text.subSequence(text.length() - length, text.length()).toString())) {
				return length;
			}
		}
		return 0;
	}

}
