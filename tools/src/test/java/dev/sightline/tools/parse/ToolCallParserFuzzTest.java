package dev.sightline.tools.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.actions.Action;

/**
 * Random mutations of valid outputs: the parser may return actions or throw {@link UnparseableOutputException},
 * nothing else, and never hangs. The seed is fixed so a failure reproduces; the budget bounds the run.
 */
class ToolCallParserFuzzTest {

	private static final List<String> VALID = List.of(
			"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [935, 406]}}\n</tool_call>",
			"Let me type.\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \"a 'b' \\\"c\\\"\"}}\n</tool_call>",
			"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"keys\": [\"ctrl\", \"shift\", \"t\"]}}</tool_call>",
			"<tool_call>{'name': 'computer_use', 'arguments': {'action': 'scroll', 'pixels': -300, 'coordinate': ['1.5', 2],},}",
			"```json\n[{\"bbox_2d\": [10, 20, 30, 40], \"label\": \"x\"}, {\"point_2d\": [5, 5]}]\n```",
			"<tool_call>{\"name\": \"computer_use\", \"arguments\": \"{\\\"action\\\": \\\"wait\\\", \\\"time\\\": 1}\"}</tool_call><tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}</tool_call>",
			"{\"action\": \"left_click_drag\", \"start_coordinate\": [1, 1], \"coordinate\": \"(50, 60)\"}");

	private static final String ALPHABET = "{}[]()\"':,<>/\\ \n\t0123456789.-+eE_abcxyz<tool_call></tool_call>```";

	@Test
	void neverThrowsAnythingButTheTypedExceptionAndNeverHangs() {
		ToolCallParser parser = new ToolCallParser();
		Random random = new Random(20250101);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int parsed = 0;
		int rejected = 0;
		for (int i = 0; i < 30_000 && System.nanoTime() < deadline; i++) {
			String input = mutate(VALID.get(random.nextInt(VALID.size())), random);
			long start = System.nanoTime();
			try {
				List<Action> actions = parser.parse(input);
				assertThat(actions).isNotEmpty();
				parsed++;
			}
			catch (UnparseableOutputException ex) {
				assertThat(ex.rawOutput()).isNotNull();
				rejected++;
			}
			catch (RuntimeException | StackOverflowError ex) {
				fail("parser threw " + ex + " for input: " + input, ex);
			}
			long ms = (System.nanoTime() - start) / 1_000_000;
			assertThat(ms).as("parse time for input of %d chars", input.length()).isLessThan(1_000);
		}
		assertThat(parsed).as("some mutations stay valid").isPositive();
		assertThat(rejected).as("some mutations are rejected").isPositive();
	}

	@Test
	void survivesDeepNestingAndHugeNumbers() {
		ToolCallParser parser = new ToolCallParser();
		String[] hostile = { "<tool_call>" + "[".repeat(20_000), "<tool_call>" + "{\"a\":".repeat(5_000) + "1"
				+ "}".repeat(5_000) + "</tool_call>",
				"<tool_call>{\"action\": \"left_click\", \"coordinate\": [1e308, -1e999]}</tool_call>",
				"<tool_call>{\"action\": \"scroll\", \"pixels\": 99999999999999999999999}</tool_call>",
				"<tool_call>{\"action\": \"wait\", \"time\": NaN}</tool_call>", "<tool_call>".repeat(5_000),
				"{".repeat(30_000) };
		for (String input : hostile) {
			try {
				parser.parse(input);
			}
			catch (UnparseableOutputException ex) {
				assertThat(ex.getMessage()).isNotBlank();
			}
		}
	}

	private static String mutate(String valid, Random random) {
		StringBuilder text = new StringBuilder(valid);
		int mutations = 1 + random.nextInt(4);
		for (int m = 0; m < mutations && !text.isEmpty(); m++) {
			int at = random.nextInt(text.length());
			switch (random.nextInt(6)) {
				case 0 -> text.deleteCharAt(at);
				case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
				case 2 -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
				case 3 -> text.setLength(at);
				case 4 -> {
					int end = Math.min(text.length(), at + 1 + random.nextInt(20));
					text.insert(random.nextInt(text.length()), text.substring(at, end));
				}
				default -> text.insert(at, (char) random.nextInt(0x3000));
			}
		}
		return text.toString();
	}

}
