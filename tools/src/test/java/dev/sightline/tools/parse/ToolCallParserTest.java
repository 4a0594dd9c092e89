package dev.sightline.tools.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TripleClick;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;

class ToolCallParserTest {

	private final ToolCallParser parser = new ToolCallParser();

	static Stream<Arguments> realisticOutputs() {
		return Stream.of(
				Arguments.of("cookbook desktop form",
						"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [935, 406]}}\n</tool_call>",
						List.of(new LeftClick(new ModelPoint(935, 406)))),
				Arguments.of("mobile_use click (spec 9.6)",
						"<tool_call>\n{\"name\": \"mobile_use\", \"arguments\": {\"action\": \"click\", \"coordinate\": [639, 1095]}}\n</tool_call>",
						List.of(new LeftClick(new ModelPoint(639, 1095)))),
				Arguments.of("reasoning before the call",
						"The Sign in button is at the top right. I will click it.\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [1180, 42]}}\n</tool_call>",
						List.of(new LeftClick(new ModelPoint(1180, 42)))),
				Arguments.of("missing closing tag",
						"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \"hello world\"}}",
						List.of(new TypeText("hello world"))),
				Arguments.of("trailing im_end",
						"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"keys\": [\"ctrl\", \"a\"]}}\n</tool_call><|im_end|>",
						List.of(Key.of("Control", "a"))),
				Arguments.of("two calls",
						"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [100, 200]}}\n</tool_call>\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \"cats\\n\"}}\n</tool_call>",
						List.of(new LeftClick(new ModelPoint(100, 200)), new TypeText("cats\n"))),
				Arguments.of("code fence inside the tag",
						"<tool_call>\n```json\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"double_click\", \"coordinate\": [10, 20]}}\n```\n</tool_call>",
						List.of(new DoubleClick(new ModelPoint(10, 20)))),
				Arguments.of("bare fenced JSON without tags",
						"```json\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"right_click\", \"coordinate\": [5, 6]}}\n```",
						List.of(new RightClick(new ModelPoint(5, 6)))),
				Arguments.of("single quotes and a trailing comma",
						"<tool_call>\n{'name': 'computer_use', 'arguments': {'action': 'mouse_move', 'coordinate': [300, 400],},}\n</tool_call>",
						List.of(new MouseMove(new ModelPoint(300, 400)))),
				Arguments.of("float and string coordinates",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [\"120.6\", 80.4]}}</tool_call>",
						List.of(new LeftClick(new ModelPoint(121, 80)))),
				Arguments.of("coordinate as a string tuple",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": \"(77, 88)\"}}</tool_call>",
						List.of(new LeftClick(new ModelPoint(77, 88)))),
				Arguments.of("double-encoded arguments",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": \"{\\\"action\\\": \\\"scroll\\\", \\\"pixels\\\": -500}\"}</tool_call>",
						List.of(new Scroll(-500, null))),
				Arguments.of("click without coordinate",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\"}}</tool_call>",
						List.of(new LeftClick(null))),
				Arguments.of("keys as one string",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"keys\": \"ctrl+shift+t\"}}</tool_call>",
						List.of(Key.of("Control", "Shift", "t"))),
				Arguments.of("key given in text", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"text\": \"Return\"}}</tool_call>",
						List.of(Key.of("Enter"))),
				Arguments.of("drag with the schema's single coordinate",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click_drag\", \"coordinate\": [400, 50]}}</tool_call>",
						List.of(new LeftClickDrag(null, new ModelPoint(400, 50)))),
				Arguments.of("swipe from coordinate to coordinate2",
						"<tool_call>{\"name\": \"mobile_use\", \"arguments\": {\"action\": \"swipe\", \"coordinate\": [1, 2], \"coordinate2\": [3, 4]}}</tool_call>",
						List.of(new LeftClickDrag(new ModelPoint(1, 2), new ModelPoint(3, 4)))),
				Arguments.of("wait in seconds", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"wait\", \"time\": 2.5}}</tool_call>",
						List.of(new Wait(2500))),
				Arguments.of("terminate success", "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>",
						List.of(new Terminate(Terminate.Status.SUCCESS))),
				Arguments.of("terminate failure", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"failure\"}}</tool_call>",
						List.of(new Terminate(Terminate.Status.FAILURE))),
				Arguments.of("answer", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"answer\", \"text\": \"42 invoices\"}}</tool_call>",
						List.of(new Answer("42 invoices"))),
				Arguments.of("navigate extension", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"navigate\", \"url\": \"https://example.org/a\"}}</tool_call>",
						List.of(new Navigate("https://example.org/a"))),
				Arguments.of("back extension", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"back\"}}</tool_call>",
						List.of(new Back())),
				Arguments.of("triple click", "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"triple_click\", \"coordinate\": [9, 9]}}</tool_call>",
						List.of(new TripleClick(new ModelPoint(9, 9)))),
				Arguments.of("arguments at the top level", "<tool_call>{\"action\": \"left_click\", \"coordinate\": [15, 25]}</tool_call>",
						List.of(new LeftClick(new ModelPoint(15, 25)))),
				Arguments.of("grounding box becomes a click on its centre",
						"```json\n[\n  {\"bbox_2d\": [100, 200, 300, 240], \"label\": \"Search button\"}\n]\n```",
						List.of(new LeftClick(new ModelPoint(200, 220)))),
				Arguments.of("grounding point", "[{\"point_2d\": [640, 360], \"label\": \"logo\"}]",
						List.of(new LeftClick(new ModelPoint(640, 360)))),
				Arguments.of("thoughts with brackets before bare JSON",
						"Thought: the field [email] is empty.\nAction: {\"action\": \"left_click\", \"coordinate\": [500, 300]}",
						List.of(new LeftClick(new ModelPoint(500, 300)))),
				Arguments.of("scroll by direction and clicks",
						"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"scroll\", \"scroll_direction\": \"down\", \"scroll_amount\": 3, \"coordinate\": [10, 10]}}</tool_call>",
						List.of(new Scroll(-300, new ModelPoint(10, 10)))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("realisticOutputs")
	void parsesRealisticOutputs(String description, String output, List<Action> expected) {
		assertThat(parser.parse(output)).isEqualTo(expected);
	}

	@Test
	void keepsTheRawTextWhenNoToolCallIsFound() {
		String raw = "I think the task is already complete, nothing to do.";
		assertThatThrownBy(() -> parser.parse(raw)).isInstanceOfSatisfying(UnparseableOutputException.class, ex -> {
			assertThat(ex.reason()).isEqualTo(Reason.NO_TOOL_CALL);
			assertThat(ex.rawOutput()).isEqualTo(raw);
		});
	}

	@Test
	void rejectsAnUnknownActionNamingIt() {
		assertThatThrownBy(() -> parser.parse(
				"<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"teleport\"}}</tool_call>"))
			.isInstanceOfSatisfying(UnparseableOutputException.class,
					ex -> assertThat(ex.reason()).isEqualTo(Reason.UNKNOWN_ACTION))
			.hasMessageContaining("'teleport'");
	}

	@Test
	void rejectsAnUnknownFunction() {
		assertThatThrownBy(() -> parser
			.parse("<tool_call>{\"name\": \"shell\", \"arguments\": {\"command\": \"rm -rf /\"}}</tool_call>"))
			.isInstanceOfSatisfying(UnparseableOutputException.class,
					ex -> assertThat(ex.reason()).isEqualTo(Reason.UNKNOWN_ACTION))
			.hasMessageContaining("'shell'");
	}

	@Test
	void refusesToGuessANumberCutOffByTheTokenLimit() {
		assertThatThrownBy(() -> parser.parse(
				"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [100, 2"))
			.isInstanceOfSatisfying(UnparseableOutputException.class,
					ex -> assertThat(ex.reason()).isEqualTo(Reason.MALFORMED_JSON));
	}

	@Test
	void closesAnObjectCutOffRightAfterACompleteMember() {
		assertThat(parser.parse(
				"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [100, 250]"))
			.containsExactly(new LeftClick(new ModelPoint(100, 250)));
	}

	@Test
	void rejectsMissingRequiredArgumentsNamingThem() {
		assertThatThrownBy(() -> parser
			.parse("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\"}}</tool_call>"))
			.isInstanceOfSatisfying(UnparseableOutputException.class,
					ex -> assertThat(ex.reason()).isEqualTo(Reason.INVALID_ARGUMENT))
			.hasMessageContaining("status");
		assertThatThrownBy(() -> parser
			.parse("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"mouse_move\"}}</tool_call>"))
			.isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("coordinate");
	}

	@Test
	void rejectsOutputLongerThanTheLimit() {
		String raw = "x".repeat(ToolCallParser.MAX_OUTPUT_CHARS + 1);
		assertThatThrownBy(() -> parser.parse(raw)).isInstanceOfSatisfying(UnparseableOutputException.class,
				ex -> assertThat(ex.reason()).isEqualTo(Reason.TOO_LONG))
			.hasMessageContaining(String.valueOf(ToolCallParser.MAX_OUTPUT_CHARS));
	}

	@Test
	void readsADialogAnswerInEverySpellingModelsUse() {
		assertThat(parser.parse(call("{\"action\": \"dialog\", \"button\": \"accept\"}")))
			.containsExactly(new AnswerDialog(true, null));
		assertThat(parser.parse(call("{\"action\": \"dialog\", \"button\": \"OK\", \"text\": \"Ada\"}")))
			.containsExactly(new AnswerDialog(true, "Ada"));
		assertThat(parser.parse(call("{\"action\": \"handle_dialog\", \"accept\": false}")))
			.containsExactly(new AnswerDialog(false, null));
		assertThat(parser.parse(call("{\"action\": \"dialog\", \"button\": \"dismiss\", \"text\": \"x\"}")))
			.as("a dismissed prompt's text is dropped")
			.containsExactly(new AnswerDialog(false, null));
		assertThatThrownBy(() -> parser.parse(call("{\"action\": \"dialog\"}")))
			.isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("dialog needs button \"accept\" or \"dismiss\"");
	}

	private static String call(String arguments) {
		return "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": " + arguments + "}\n</tool_call>";
	}

}
