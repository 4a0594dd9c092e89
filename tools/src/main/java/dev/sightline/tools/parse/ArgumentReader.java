package dev.sightline.tools.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;

/**
 * Reads typed values out of an {@code arguments} object the way models write them: coordinates as ints, floats,
 * numeric strings, {@code "(x, y)"}, {@code {"x": .., "y": ..}} or a 4-number box; key lists as arrays or strings.
 * Every failure is an {@link IllegalArgumentException} whose message names the argument, which the parser turns
 * into an {@link UnparseableOutputException}.
 */
final class ArgumentReader {

	private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");

	/** Model pixels beyond this are not coordinates of any real screen. */
	private static final double MAX_COORDINATE = 1_000_000;

	private ArgumentReader() {
	}

	static @Nullable JsonNode field(JsonNode args, String... names) {
		for (String name : names) {
			JsonNode value = args.get(name);
			if (value != null && !value.isNull()) {
				return value;
			}
		}
		return null;
	}

	static @Nullable ModelPoint optionalPoint(JsonNode args, String... names) {
		JsonNode value = field(args, names);
		return value == null ? null : point(value, names[0]);
	}

	static ModelPoint point(JsonNode value, String name) {
		List<Double> numbers = numbers(value, name);
		if (numbers.size() == 2) {
			return new ModelPoint(pixel(numbers.get(0), name), pixel(numbers.get(1), name));
		}
		if (numbers.size() == 4) {
			// A box where a point was asked: its centre, as for bbox_2d grounding.
			return box(numbers, name).centre();
		}
		throw new IllegalArgumentException(name + " must be [x, y], got " + numbers.size() + " numbers: " + clip(value));
	}

	static ModelBox box(JsonNode value, String name) {
		List<Double> numbers = numbers(value, name);
		if (numbers.size() != 4) {
			throw new IllegalArgumentException(
					name + " must be [x1, y1, x2, y2], got " + numbers.size() + " numbers: " + clip(value));
		}
		return box(numbers, name);
	}

	private static ModelBox box(List<Double> numbers, String name) {
		return new ModelBox(pixel(numbers.get(0), name), pixel(numbers.get(1), name), pixel(numbers.get(2), name),
				pixel(numbers.get(3), name));
	}

	private static List<Double> numbers(JsonNode value, String name) {
		List<Double> numbers = new ArrayList<>(4);
		if (value.isArray()) {
			for (JsonNode element : value) {
				if (element.isArray() && value.size() <= 2) {
					// [[x1, y1], [x2, y2]]: a box given as two corners.
					numbers.addAll(numbers(element, name));
				}
				else {
					numbers.add(number(element, name));
				}
				if (numbers.size() > 4) {
					break;
				}
			}
		}
		else if (value.isObject()) {
			JsonNode x = field(value, "x", "X");
			JsonNode y = field(value, "y", "Y");
			if (x == null || y == null) {
				throw new IllegalArgumentException(name + " object must have x and y, got " + clip(value));
			}
			numbers.add(number(x, name));
			numbers.add(number(y, name));
		}
		else if (value.isTextual()) {
			Matcher matcher = NUMBER.matcher(value.asText());
			while (matcher.find() && numbers.size() <= 4) {
				numbers.add(parseDouble(matcher.group(), name));
			}
		}
		else {
			throw new IllegalArgumentException(name + " must be a list of numbers, got " + clip(value));
		}
		return numbers;
	}

	static double number(JsonNode value, String name) {
		if (value.isNumber()) {
			return value.asDouble();
		}
		if (value.isTextual()) {
			Matcher matcher = NUMBER.matcher(value.asText());
			if (matcher.find()) {
				return parseDouble(matcher.group(), name);
			}
		}
		throw new IllegalArgumentException(name + " must be a number, got " + clip(value));
	}

	private static double parseDouble(String text, String name) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
		}
	}

	private static int pixel(double value, String name) {
		if (!Double.isFinite(value) || Math.abs(value) > MAX_COORDINATE) {
			throw new IllegalArgumentException(
					name + " value " + value + " is not a pixel coordinate (limit +-" + (long) MAX_COORDINATE + ")");
		}
		return (int) Math.round(value);
	}

	static @Nullable String text(JsonNode args, String... names) {
		JsonNode value = field(args, names);
		if (value == null) {
			return null;
		}
		if (value.isValueNode()) {
			return value.asText();
		}
		throw new IllegalArgumentException(names[0] + " must be a string, got " + clip(value));
	}

	static List<String> strings(JsonNode value, String name) {
		List<String> strings = new ArrayList<>();
		if (value.isArray()) {
			for (JsonNode element : value) {
				if (!element.isValueNode() || element.isNull()) {
					throw new IllegalArgumentException(name + " must hold strings, got " + clip(element));
				}
				strings.add(element.asText());
			}
		}
		else if (value.isValueNode()) {
			strings.add(value.asText());
		}
		else {
			throw new IllegalArgumentException(name + " must be a list of strings, got " + clip(value));
		}
		return strings;
	}

	static String lower(String text) {
		return text.strip().toLowerCase(Locale.ROOT);
	}

	static String clip(Object value) {
		String text = String.valueOf(value);
		return text.length() <= 80 ? text : text.substring(0, 80) + "...";
	}

}
