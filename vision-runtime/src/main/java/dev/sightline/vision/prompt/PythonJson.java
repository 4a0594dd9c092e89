package dev.sightline.vision.prompt;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps(value, ensure_ascii=False)} does: {@code ", "} and {@code ": "}
 * separators, keys in insertion order, non-ASCII kept, floats as Python's {@code repr}. The chat template's
 * {@code tojson} filter and the tool blocks and tool calls the agent writes into prompts all use it, because those
 * bytes must match, byte for byte, the text the model was trained on (spec §9.3). Maps, iterables, strings, numbers,
 * booleans and null are written as such; anything else as its {@code toString()} string.
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
			case Map<?, ?> map -> {
				out.append('{');
				Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
				while (entries.hasNext()) {
					Map.Entry<?, ?> entry = entries.next();
					string(String.valueOf(entry.getKey()), out);
					out.append(": ");
					write(entry.getValue(), out);
					if (entries.hasNext()) {
						out.append(", ");
					}
				}
				out.append('}');
			}
			case Iterable<?> items -> {
				out.append('[');
				Iterator<?> it = items.iterator();
				while (it.hasNext()) {
					write(it.next(), out);
					if (it.hasNext()) {
						out.append(", ");
					}
				}
				out.append(']');
			}
			case Boolean b -> out.append(b ? "true" : "false");
			case Double d -> out.append(pythonFloat(d));
			case Float f -> out.append(pythonFloat(f.doubleValue()));
			case BigDecimal d -> out.append(d.toPlainString());
			case Number n -> out.append(n);
			default -> string(value.toString(), out);
		}
	}

	/** Python's {@code repr(float)}: shortest round-trip digits, {@code 1.0}, {@code 1e-05}, {@code 1e+16}. */
	static String pythonFloat(double d) {
		if (Double.isNaN(d)) {
			return "NaN";
		}
		if (Double.isInfinite(d)) {
			return d > 0 ? "Infinity" : "-Infinity";
		}
		String java = Double.toString(d);
		int e = java.indexOf('E');
		if (e < 0) {
			return java;
		}
		String mantissa = java.substring(0, e);
		if (mantissa.endsWith(".0")) {
			mantissa = mantissa.substring(0, mantissa.length() - 2);
		}
		int exponent = Integer.parseInt(java.substring(e + 1));
		if (exponent >= -4 && exponent < 16) {
			return new BigDecimal(java).toPlainString();
		}
		return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
	}

	private static void string(String s, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
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
