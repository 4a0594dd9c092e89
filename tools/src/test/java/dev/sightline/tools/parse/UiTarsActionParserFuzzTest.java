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
class UiTarsActionParserFuzzTest {

	private static final List<String> VALID = List.of(
			"Thought: Click the search box.\nAction: click(start_box='<|box_start|>(197,525)<|box_end|>')",
			"Thought: Type and submit.\nAction: type(content='lamp \\'red\\' \\n')",
			"Action: drag(start_box='(1,2)', end_box='[10,20,30,40]')\n\nhotkey(key='ctrl shift t')",
			"Reflection: it failed.\nAction_Summary: retry\nAction: scroll(start_box='(5,6)', direction='down')",
			"Thought: done\nAction: finished(content='The answer is 42.')<|im_end|>",
			"Action: click(point='<point>10 20</point>')\n\nwait()\n\ncall_user()",
			"Action: left_double(start_box=(3, 4))");

	private static final String ALPHABET = "()[]'\"\\=,<>|/ \n\t0123456789.-_abcxyz Action: Thought: <|box_start|><|box_end|><point>";

	@Test
	void neverThrowsAnythingButTheTypedExceptionAndNeverHangs() {
		UiTarsActionParser parser = new UiTarsActionParser();
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
		UiTarsActionParser parser = new UiTarsActionParser();
		String[] hostile = { "Action: " + "(".repeat(50_000), "Action: click(start_box='" + "(".repeat(60_000) + "')",
				"Action: click(start_box='(1e308,-1e999)')", "Action: click(start_box='(99999999999999999999999,1)')",
				"Action: " + "wait()".repeat(5_000), "Action: type(content='" + "\\".repeat(30_000),
				"Action:".repeat(9_000), "Action: click(" + "a='1',".repeat(5_000) + ")" };
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
