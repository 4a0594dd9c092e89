package dev.sightline.agent.video;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moments out of a model's free-form answer. Qwen2.5-VL answers "when" questions in several shapes: a JSON list
 * ({@code [{"start": 3.5, "end": 5, "description": "..."}]}, often in a code fence), prose ranges ("from 3.5 to 5
 * seconds", "between 1:02 and 1:10", "00:03-00:05") and instants ("at 4s"). JSON wins when present; otherwise every
 * range in the prose, then every instant outside those ranges. Pure: no I/O, no state.
 */
public final class MomentParser {

	/** A clock time ({@code 1:02}, {@code 00:01:02.5}) or a plain number of seconds. */
	private static final String TIME = "(\\d{1,2}:\\d{2}:\\d{2}(?:\\.\\d+)?|\\d{1,3}:\\d{2}(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)";

	private static final String UNIT = "(?:\\s*(s|secs?|seconds?)\\b)?";

	private static final Pattern WORD_RANGE = Pattern.compile(
			"(?i)\\b(?:from|between)\\s+" + TIME + UNIT + "\\s*(?:to|and|until|till|-|–)\\s*" + TIME + UNIT);

	private static final Pattern DASH_RANGE = Pattern
		.compile("(?i)(?<![\\w.:])" + TIME + UNIT + "\\s*(?:-|–|to)\\s*" + TIME + UNIT + "(?!\\w|:\\d)");

	private static final Pattern INSTANT = Pattern
		.compile("(?i)\\b(?:at|around|@)\\s+(?:about\\s+|approximately\\s+)?" + TIME + UNIT + "(?!\\w|:\\d)");

	private static final Pattern VALUE = Pattern.compile("(?i)\\s*" + TIME + UNIT + "\\s*");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> START_KEYS = List.of("start", "start_time", "startSec", "start_sec", "begin",
			"from");

	private static final List<String> END_KEYS = List.of("end", "end_time", "endSec", "end_sec", "stop", "to");

	private static final List<String> INSTANT_KEYS = List.of("time", "timestamp", "at", "second", "sec");

	private static final List<String> DESCRIPTION_KEYS = List.of("description", "event", "label", "caption", "desc",
			"what");

	public List<Moment> parse(String output) {
		List<Moment> fromJson = json(output);
		List<Moment> moments = fromJson.isEmpty() ? prose(output) : fromJson;
		return moments.stream()
			.distinct()
			.sorted(Comparator.comparingDouble(Moment::startSec).thenComparingDouble(Moment::endSec))
			.toList();
	}

	private List<Moment> json(String output) {
		String text = output.replaceAll("```(?:json)?", "");
		int array = text.indexOf('[');
		int object = text.indexOf('{');
		List<Moment> moments = new ArrayList<>();
		if (array >= 0 && (object < 0 || array < object) && text.lastIndexOf(']') > array) {
			JsonNode node = read(text.substring(array, text.lastIndexOf(']') + 1));
			if (node != null) {
				for (JsonNode item : node) {
					moment(item).ifPresent(moments::add);
				}
			}
		}
		else if (object >= 0 && text.lastIndexOf('}') > object) {
			JsonNode node = read(text.substring(object, text.lastIndexOf('}') + 1));
			if (node != null) {
				// A single moment, or a wrapper such as {"moments": [...]}.
				moment(node).ifPresent(moments::add);
				for (JsonNode value : node) {
					if (value.isArray()) {
						for (JsonNode item : value) {
							moment(item).ifPresent(moments::add);
						}
					}
				}
			}
		}
		return moments;
	}

	private static JsonNode read(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (JacksonException e) {
			return null;
		}
	}

	private static java.util.Optional<Moment> moment(JsonNode item) {
		if (!item.isObject()) {
			return java.util.Optional.empty();
		}
		OptionalDouble start = seconds(first(item, START_KEYS));
		OptionalDouble end = seconds(first(item, END_KEYS));
		JsonNode span = first(item, List.of("timestamps", "span", "range", "time_range"));
		if (start.isEmpty() && span != null && span.isArray() && span.size() == 2) {
			start = seconds(span.get(0));
			end = seconds(span.get(1));
		}
		if (start.isEmpty()) {
			start = seconds(first(item, INSTANT_KEYS));
		}
		if (start.isEmpty()) {
			return java.util.Optional.empty();
		}
		JsonNode description = first(item, DESCRIPTION_KEYS);
		return java.util.Optional.of(ordered(start.getAsDouble(), end.orElse(start.getAsDouble()),
				description == null ? "" : description.asString()));
	}

	private static JsonNode first(JsonNode item, List<String> keys) {
		for (String key : keys) {
			JsonNode value = item.get(key);
			if (value != null && !value.isNull()) {
				return value;
			}
		}
		return null;
	}

	private static OptionalDouble seconds(JsonNode value) {
		if (value == null) {
			return OptionalDouble.empty();
		}
		if (value.isNumber()) {
			return value.asDouble() >= 0 ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
		}
		if (value.isString()) {
			Matcher m = VALUE.matcher(value.asString());
			return m.matches() ? OptionalDouble.of(time(m.group(1))) : OptionalDouble.empty();
		}
		return OptionalDouble.empty();
	}

	private static List<Moment> prose(String output) {
		List<Moment> moments = new ArrayList<>();
		BitSet taken = new BitSet(output.length());
		for (Pattern range : List.of(WORD_RANGE, DASH_RANGE)) {
			Matcher m = range.matcher(output);
			while (m.find()) {
				if (taken.get(m.start(), m.end()).isEmpty() && rangeHasTimeShape(m)) {
					taken.set(m.start(), m.end());
					moments.add(ordered(time(m.group(1)), time(m.group(3)), sentence(output, m.start(), m.end())));
				}
			}
		}
		Matcher m = INSTANT.matcher(output);
		while (m.find()) {
			boolean clock = m.group(1).contains(":");
			if (taken.get(m.start(), m.end()).isEmpty() && (clock || m.group(2) != null)) {
				double at = time(m.group(1));
				moments.add(new Moment(at, at, sentence(output, m.start(), m.end())));
			}
		}
		return moments;
	}

	/** "2-3 buttons" is no moment: plain numbers need a unit, clock times speak for themselves. */
	private static boolean rangeHasTimeShape(Matcher m) {
		boolean clocks = m.group(1).contains(":") && m.group(3).contains(":");
		// "from 3 to 5" about a clip means seconds; a bare "3-5" may be anything.
		return clocks || m.group(2) != null || m.group(4) != null || m.pattern() == WORD_RANGE;
	}

	private static Moment ordered(double a, double b, String description) {
		return new Moment(Math.min(a, b), Math.max(a, b), description);
	}

	/** Seconds of {@code 5}, {@code 3.5}, {@code 1:02}, {@code 00:01:02.5}. */
	static double time(String token) {
		String[] parts = token.split(":");
		double seconds = 0;
		for (String part : parts) {
			seconds = seconds * 60 + Double.parseDouble(part);
		}
		return seconds;
	}

	/** The sentence around a match, as the moment's description. */
	private static String sentence(String text, int start, int end) {
		int from = start;
		while (from > 0 && !endsSentence(text, from - 1)) {
			from--;
		}
		int to = end;
		while (to < text.length() && !endsSentence(text, to)) {
			to++;
		}
		return text.substring(from, Math.min(text.length(), to + 1)).strip();
	}

	/** A '.' ends a sentence only before white space or the end, so "3.5" stays whole. */
	private static boolean endsSentence(String text, int i) {
		char c = text.charAt(i);
		return c == '!' || c == '?' || c == '\n'
				|| c == '.' && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
	}

}
