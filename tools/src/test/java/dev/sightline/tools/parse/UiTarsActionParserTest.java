package dev.sightline.tools.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.UnparseableOutputException.Reason;
import dev.sightline.tools.prompt.UiTarsPrompt;

class UiTarsActionParserTest {

	private final UiTarsActionParser parser = new UiTarsActionParser();

	@Test
	void readsEveryStartBoxForm() {
		ModelPoint expected = new ModelPoint(197, 525);
		for (String box : List.of("'(197,525)'", "'<|box_start|>(197,525)<|box_end|>'", "'<point>197 525</point>'",
				"'(197.4, 524.6)'", "'[190,520,204,530]'", "'(190,520,204,530)'", "'<bbox>190 520 204 530</bbox>'",
				"(197,525)")) {
			assertThat(parser.parse("Thought: the button.\nAction: click(start_box=" + box + ")"))
				.as(box)
				.containsExactly(new LeftClick(expected));
		}
	}

	@Test
	void readsPointAsTheDoubaoSpellingOfStartBox() {
		assertThat(parser.parse("Action: click(point='<point>10 20</point>')"))
			.containsExactly(new LeftClick(new ModelPoint(10, 20)));
	}

	@Test
	void mapsTheActionSpaceOntoSightlineActions() {
		assertThat(parser.parse("Action: left_double(start_box='(1,2)')")).containsExactly(new DoubleClick(new ModelPoint(1, 2)));
		assertThat(parser.parse("Action: right_single(start_box='(3,4)')")).containsExactly(new RightClick(new ModelPoint(3, 4)));
		assertThat(parser.parse("Action: drag(start_box='(1,2)', end_box='(30,40)')"))
			.containsExactly(new LeftClickDrag(new ModelPoint(1, 2), new ModelPoint(30, 40)));
		assertThat(parser.parse("Action: drag(start_point='<point>1 2</point>', end_point='<point>30 40</point>')"))
			.containsExactly(new LeftClickDrag(new ModelPoint(1, 2), new ModelPoint(30, 40)));
		assertThat(parser.parse("Action: hotkey(key='ctrl c')")).containsExactly(Key.of("ctrl", "c"));
		assertThat(parser.parse("Action: type(content='hello')")).containsExactly(new TypeText("hello"));
		assertThat(parser.parse("Action: scroll(start_box='(5,6)', direction='down')"))
			.containsExactly(new Scroll(-500, new ModelPoint(5, 6)));
		assertThat(parser.parse("Action: scroll(direction='up')")).containsExactly(new Scroll(500, null));
		assertThat(parser.parse("Action: wait()")).containsExactly(new Wait(5_000));
		assertThat(parser.parse("Action: finished(content='The price is $5.')"))
			.containsExactly(new Answer("The price is $5."));
		assertThat(parser.parse("Action: finished(content='')")).containsExactly(new Terminate(Terminate.Status.SUCCESS));
		assertThat(parser.parse("Action: finished()")).containsExactly(new Terminate(Terminate.Status.SUCCESS));
		assertThat(parser.parse("Action: call_user()")).containsExactly(new Terminate(Terminate.Status.FAILURE));
	}

	@Test
	void aTrailingNewlineInTypeIsAnEnterTheApprovalRulesSee() {
		// Both the escaped form the prompt asks for and a literal newline submit.
		assertThat(parser.parse("Action: type(content='lamp\\n')")).containsExactly(new TypeText("lamp"), Key.of("Enter"));
		assertThat(parser.parse("Action: type(content='lamp\n')")).containsExactly(new TypeText("lamp"), Key.of("Enter"));
		assertThat(parser.parse("Action: type(content='\\n')")).containsExactly(Key.of("Enter"));
		assertThat(parser.parse("Action: type(content='two\\nlines')")).containsExactly(new TypeText("two\nlines"));
	}

	@Test
	void unescapesPythonStrings() {
		assertThat(parser.parse("Action: type(content='it\\'s \"ok\" \\\\ done')"))
			.containsExactly(new TypeText("it's \"ok\" \\ done"));
	}

	@Test
	void keepsTheThoughtAndReadsSeveralActions() {
		UiTarsActionParser.Parsed parsed = parser.parseWithThought(
				"Thought: Type the name, then save.\nAction: type(content='Ann')\n\nhotkey(key='ctrl s')<|im_end|>");
		assertThat(parsed.thought()).isEqualTo("Type the name, then save.");
		assertThat(parsed.actions()).containsExactly(new TypeText("Ann"), Key.of("ctrl", "s"));
	}

	@Test
	void rejectsWhatIsNotItsGrammarWithTheParsersOwnException() {
		assertThatThrownBy(() -> parser.parse("I would click the button."))
			.isInstanceOfSatisfying(UnparseableOutputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_TOOL_CALL));
		assertThatThrownBy(() -> parser.parse("Action: teleport(start_box='(1,2)')"))
			.isInstanceOfSatisfying(UnparseableOutputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ACTION));
		assertThatThrownBy(() -> parser.parse("Action: click(start_box='(1,2,3)')"))
			.isInstanceOfSatisfying(UnparseableOutputException.class,
					e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
		assertThatThrownBy(() -> parser.parse("Action: scroll(direction='left')"))
			.isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("horizontal");
		assertThatThrownBy(() -> parser.parse("Action: click(start_box='(1,2)'"))
			.isInstanceOfSatisfying(UnparseableOutputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
	}

	@Test
	void readsBackEveryActionItWrites() {
		List<Action> actions = List.of(new LeftClick(new ModelPoint(12, 34)), new DoubleClick(new ModelPoint(1, 2)),
				new RightClick(new ModelPoint(5, 6)), new LeftClickDrag(new ModelPoint(1, 2), new ModelPoint(3, 4)),
				Key.of("ctrl", "shift", "t"), new TypeText("a 'quoted' \\ text"), new Scroll(-500, new ModelPoint(7, 8)),
				new Scroll(500, null), new Wait(5_000), new Answer("done: it's 5"),
				new Terminate(Terminate.Status.SUCCESS), new Terminate(Terminate.Status.FAILURE),
				new AnswerDialog(true, "it's me"), new AnswerDialog(false, null));
		for (Action action : actions) {
			assertThat(parser.parse("Action: " + UiTarsPrompt.action(action))).as(UiTarsPrompt.action(action))
				.containsExactly(action);
		}
	}

	@Test
	void readsTheDialogAnswerInCallStyle() {
		assertThat(parser.parse("Action: dialog(button='ok')")).containsExactly(new AnswerDialog(true, null));
		assertThat(parser.parse("Action: dialog(button='cancel', text='ignored')"))
			.containsExactly(new AnswerDialog(false, null));
		assertThatThrownBy(() -> parser.parse("Action: dialog(button='maybe')"))
			.isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("dialog button must be accept or dismiss, got 'maybe'");
	}

}
