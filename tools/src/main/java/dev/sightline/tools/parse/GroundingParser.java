package dev.sightline.tools.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;

/**
 * Reads plain grounding answers (spec §9.2): a fenced or bare JSON list of {@code {"bbox_2d": [x1, y1, x2, y2],
 * "label": ...}} or {@code {"point_2d": [x, y]}} objects, a single such object, a list cut off by the token limit
 * (complete elements are kept, as the cookbook does), or as a last resort a bare {@code [x, y]} /
 * {@code [x1, y1, x2, y2]} / {@code (x, y)} in the text. Coordinates are model pixels.
 */
public final class GroundingParser {

	private static final Pattern BARE_NUMBERS = Pattern.compile(
			"[\\[(]\\s*(-?\\d+(?:\\.\\d+)?)\\s*,\\s*(-?\\d+(?:\\.\\d+)?)\\s*(?:,\\s*(-?\\d+(?:\\.\\d+)?)\\s*,\\s*(-?\\d+(?:\\.\\d+)?)\\s*)?[\\])]");

	/** The first grounded point of the answer. */
	public ModelPoint parsePoint(String rawModelOutput) {
		return parse(rawModelOutput).get(0).point();
	}

	/** Every grounded element, in the model's order; never empty. */
	public List<Grounding> parse(String rawModelOutput) {
		if (rawModelOutput.length() > ToolCallParser.MAX_OUTPUT_CHARS) {
			throw new UnparseableOutputException(Reason.TOO_LONG, "grounding answer has " + rawModelOutput.length()
					+ " characters, more than the limit of " + ToolCallParser.MAX_OUTPUT_CHARS,
					ToolCallParser.abbreviate(rawModelOutput));
		}
		List<Grounding> found = fromJson(rawModelOutput);
		if (found.isEmpty()) {
			found = fromBareNumbers(rawModelOutput);
		}
		if (found.isEmpty()) {
			throw new UnparseableOutputException(Reason.NO_TOOL_CALL,
					"no bbox_2d, point_2d or [x, y] found in the grounding answer", rawModelOutput);
		}
		return found;
	}

	private static List<Grounding> fromJson(String raw) {
		int start = indexOfAny(raw, 0);
		int attempts = 0;
		while (start >= 0 && attempts++ < 32) {
			String json = JsonSpans.valueAt(raw, start);
			if (json == null && raw.charAt(start) == '[') {
				json = closeTruncatedList(raw.substring(start));
			}
			if (json != null) {
				try {
					List<Grounding> found = groundingsOf(LenientJson.read(json), raw);
					if (!found.isEmpty()) {
						return found;
					}
				}
				catch (JsonProcessingException ex) {
					// Not JSON after all (e.g. "[see above]" in prose); try the next bracket.
				}
			}
			start = indexOfAny(raw, start + 1);
		}
		return List.of();
	}

	/** The cookbook's repair for a list cut off by max tokens: keep the complete objects, close the list. */
	private static @Nullable String closeTruncatedList(String partial) {
		int lastObjectEnd = partial.lastIndexOf('}');
		return lastObjectEnd < 0 ? null : partial.substring(0, lastObjectEnd + 1) + "]";
	}

	private static List<Grounding> groundingsOf(JsonNode node, String raw) {
		List<Grounding> found = new ArrayList<>();
		if (node.isArray()) {
			for (JsonNode element : node) {
				if (element.isObject() && (element.has("bbox_2d") || element.has("point_2d"))) {
					found.add(groundingOf(element, raw));
				}
			}
		}
		else if (node.isObject() && (node.has("bbox_2d") || node.has("point_2d"))) {
			found.add(groundingOf(node, raw));
		}
		return found;
	}

	private static Grounding groundingOf(JsonNode element, String raw) {
		try {
			JsonNode label = ArgumentReader.field(element, "label", "text_content", "text");
			String labelText = label != null && label.isValueNode() ? label.asText() : null;
			if (element.has("bbox_2d")) {
				ModelBox box = ArgumentReader.box(element.get("bbox_2d"), "bbox_2d");
				return new Grounding(box.centre(), box, labelText);
			}
			return new Grounding(ArgumentReader.point(element.get("point_2d"), "point_2d"), null, labelText);
		}
		catch (IllegalArgumentException ex) {
			throw new UnparseableOutputException(Reason.INVALID_ARGUMENT, ex.getMessage(), raw, ex);
		}
	}

	/** The point of one grounding object ({@code bbox_2d} centre or {@code point_2d}); used by the tool parser. */
	static ModelPoint pointOf(JsonNode element) {
		if (element.has("bbox_2d")) {
			return ArgumentReader.box(element.get("bbox_2d"), "bbox_2d").centre();
		}
		return ArgumentReader.point(element.get("point_2d"), "point_2d");
	}

	private static List<Grounding> fromBareNumbers(String raw) {
		Matcher matcher = BARE_NUMBERS.matcher(raw);
		if (!matcher.find()) {
			return List.of();
		}
		int x1 = (int) Math.round(Double.parseDouble(matcher.group(1)));
		int y1 = (int) Math.round(Double.parseDouble(matcher.group(2)));
		if (matcher.group(3) == null) {
			return List.of(new Grounding(new ModelPoint(x1, y1), null, null));
		}
		ModelBox box = new ModelBox(x1, y1, (int) Math.round(Double.parseDouble(matcher.group(3))),
				(int) Math.round(Double.parseDouble(matcher.group(4))));
		return List.of(new Grounding(box.centre(), box, null));
	}

	private static int indexOfAny(String text, int from) {
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '{' || c == '[') {
				return i;
			}
		}
		return -1;
	}

}
