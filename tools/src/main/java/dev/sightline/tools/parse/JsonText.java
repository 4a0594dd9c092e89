package dev.sightline.tools.parse;

/**
 * The text of the one JSON value in a model's answer that was asked to be nothing but that value. Under a grammar
 * the answer is exactly the value; a model answering freely (an endpoint that ignores {@code response_format})
 * often wraps it in a {@code ```json} fence or a sentence. Text only, so callers parse with their own JSON library.
 */
public final class JsonText {

	private JsonText() {
	}

	/** A caller's JSON parse of one text (any JSON library), failing with its own exception. */
	@FunctionalInterface
	public interface Parser<T, E extends Exception> {

		T parse(String text) throws E;

	}

	/**
	 * The value of the answer: the {@link #unfenced} text parsed whole, else its {@link #outermost} span (a value
	 * inside a sentence).
	 * @throws E the failure of the whole text when there is no span, else the span's (it says what is wrong with
	 * the value itself rather than with the sentence around it)
	 */
	public static <T, E extends Exception> T parse(String answer, Parser<T, E> parser) throws E {
		String text = unfenced(answer);
		try {
			return parser.parse(text);
		}
		catch (Exception whole) {
			// Rethrown precisely: only E or an unchecked exception can reach here.
			String inner = outermost(text);
			if (inner == null) {
				throw whole;
			}
			return parser.parse(inner);
		}
	}

	/** The body of the first fenced block if there is one, else the answer; stripped of surrounding whitespace. */
	public static String unfenced(String answer) {
		String text = answer.strip();
		int fence = text.indexOf("```");
		if (fence >= 0) {
			int bodyStart = text.indexOf('\n', fence);
			int end = text.indexOf("```", bodyStart < 0 ? fence + 3 : bodyStart);
			if (bodyStart >= 0 && end > bodyStart) {
				return text.substring(bodyStart + 1, end).strip();
			}
		}
		return text;
	}

	/**
	 * From the first {@code {} or {@code [} to the last {@code }} or {@code ]} of {@code text}: the value inside a
	 * sentence; null when there is no such span.
	 */
	public static String outermost(String text) {
		int brace = text.indexOf('{');
		int bracket = text.indexOf('[');
		int start = brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
		int end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
		return start >= 0 && end > start ? text.substring(start, end + 1) : null;
	}

}
