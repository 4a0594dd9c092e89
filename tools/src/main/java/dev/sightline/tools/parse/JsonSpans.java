package dev.sightline.tools.parse;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * Finds the balanced JSON value ({@code {...}} or {@code [...]}) that starts at an index of free text, aware of
 * single- and double-quoted strings, and closes one cut off by the token limit when that is unambiguous. Linear in
 * the text scanned, so hostile input cannot make it hang.
 */
final class JsonSpans {

	private JsonSpans() {
	}

	/**
	 * The JSON text starting at {@code start} (which must be '{' or '['), or {@code null} when it is cut off in a
	 * way that cannot be repaired safely.
	 */
	static @Nullable String valueAt(String text, int start) {
		Deque<Character> closers = new ArrayDeque<>();
		char quote = 0;
		boolean escaped = false;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quote != 0) {
				if (escaped) {
					escaped = false;
				}
				else if (c == '\\') {
					escaped = true;
				}
				else if (c == quote) {
					quote = 0;
				}
				continue;
			}
			switch (c) {
				case '"', '\'' -> quote = c;
				case '{' -> closers.push('}');
				case '[' -> closers.push(']');
				case '}', ']' -> {
					if (closers.isEmpty() || closers.pop() != c) {
						return null;
					}
					if (closers.isEmpty()) {
						return text.substring(start, i + 1);
					}
				}
				default -> {
				}
			}
		}
		return repairTruncated(text.substring(start), closers, quote);
	}

	/**
	 * Closes a value cut off right after a complete member ({@code ...[10, 20]} or {@code ..."success"}); a cut
	 * inside a string or number is ambiguous ({@code 20} may have been {@code 205}) and is refused.
	 */
	private static @Nullable String repairTruncated(String partial, Deque<Character> closers, char quote) {
		if (quote != 0 || closers.isEmpty()) {
			return null;
		}
		String trimmed = partial.stripTrailing();
		char last = trimmed.charAt(trimmed.length() - 1);
		if (last != '}' && last != ']' && last != '"' && last != '\'') {
			return null;
		}
		StringBuilder repaired = new StringBuilder(trimmed);
		closers.forEach(repaired::append);
		return repaired.toString();
	}

}
