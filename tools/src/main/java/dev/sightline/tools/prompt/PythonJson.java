package dev.sightline.tools.prompt;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps(value, ensure_ascii=False)} does (separators {@code ", "} and
 * {@code ": "}, non-ASCII kept, insertion order), because the tool block of the prompt must match, byte for byte,
 * the text Qwen2.5-VL was trained on (spec §9.3). Values are maps, lists, strings, numbers, booleans or null.
 */
public final class PythonJson {

	private PythonJson() {
	}

	public static String dumps(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(Object value, StringBuilder out) {
		switch (value) {
			case null -> out.append("null");
			case String text -> string(text, out);
			case Boolean flag -> out.append(flag ? "true" : "false");
			case Integer number -> out.append(number);
			case Long number -> out.append(number);
			// Python prints floats with a fractional part (1.0, 0.5), as Java does.
			case Number number -> out.append(Double.toString(number.doubleValue()));
			case Map<?, ?> map -> {
				out.append('{');
				boolean first = true;
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					if (!first) {
						out.append(", ");
					}
					first = false;
					string(String.valueOf(entry.getKey()), out);
					out.append(": ");
					write(entry.getValue(), out);
				}
				out.append('}');
			}
			case List<?> list -> {
				out.append('[');
				for (int i = 0; i < list.size(); i++) {
					if (i > 0) {
						out.append(", ");
					}
					write(list.get(i), out);
				}
				out.append(']');
			}
			default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
