package dev.sightline.tools.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MiddleClick;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TripleClick;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.ToolCallParser;

class ToolCallFormatTest {

	@Test
	void writesTheCallAsTheModelDoes() {
		assertThat(ToolCallFormat.toolCall(new LeftClick(new ModelPoint(935, 406)))).isEqualTo(
				"<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [935, 406]}}\n</tool_call>");
	}

	@Test
	void everyActionParsesBackToItself() {
		List<Action> all = List.of(Key.of("ctrl", "shift", "t"), new TypeText("héllo \"quoted\"\n"),
				new MouseMove(new ModelPoint(1, 2)), new LeftClick(new ModelPoint(3, 4)), new LeftClick(null),
				new RightClick(new ModelPoint(5, 6)), new MiddleClick(null),
				new dev.sightline.tools.actions.DoubleClick(new ModelPoint(7, 8)), new TripleClick(new ModelPoint(9, 9)),
				new LeftClickDrag(new ModelPoint(1, 1), new ModelPoint(20, 30)), new LeftClickDrag(null, new ModelPoint(2, 2)),
				new Scroll(-240, new ModelPoint(50, 50)), new Scroll(100, null), new Wait(1500),
				new Terminate(Terminate.Status.SUCCESS), new Terminate(Terminate.Status.FAILURE), new Answer("42"),
				new Navigate("http://127.0.0.1:8080/x?q=1"), new Back(), new Forward(), new Reload(),
				new AnswerDialog(true, null), new AnswerDialog(false, null), new AnswerDialog(true, "Grace 'G' Hopper"));
		ToolCallParser parser = new ToolCallParser();
		for (Action action : all) {
			assertThat(parser.parse(ToolCallFormat.toolCall(action))).as(ToolCallFormat.json(action))
				.containsExactly(action);
		}
	}

}
