package dev.sightline.tools.prompt;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.tokenizer.QwenTokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConversationTest {

	private static final ImageSize MODEL = new ImageSize(1288, 728);

	private static final QwenTokenizer TOKENIZER = QwenTokenizer.fromClasspath(QwenTokenizer.BUNDLED_QWEN2_5);

	private static final ChatTemplate TEMPLATE = ChatTemplate.builtIn();

	private static AgentConversation browser(ModelProfile profile, HistoryWindow window) {
		return new AgentConversation(profile, "Buy the lamp", true, List.of(), MODEL, window);
	}

	private static ImagePart shot(int n) {
		return ImagePart.of(new byte[] { (byte) n });
	}

	@Test
	void declaresTheResizedDisplayAndPutsTheScreenshotAfterTheGoal() {
		byte[] png = { 1, 2, 3 };
		Conversation conversation = browser(ModelProfile.QWEN2_5_VL, HistoryWindow.DEFAULT).observe(1,
				ImagePart.of(png), List.of());

		assertThat(conversation.messages()).hasSize(2);
		assertThat(conversation.messages().get(0).role()).isEqualTo(Role.SYSTEM);
		assertThat(text(conversation.messages().get(0), 0)).contains("The screen's resolution is 1288x728.")
			.contains("`navigate`")
			.contains("`answer`");
		var user = conversation.messages().get(1).parts();
		assertThat(((TextPart) user.get(0)).text()).startsWith("The user query: Buy the lamp");
		assertThat(user.getLast()).isInstanceOfSatisfying(ImagePart.class,
				image -> assertThat(image.encoded()).isSameAs(png));
	}

	@Test
	void qwen3AnnouncesItsGridAndWritesTheHistoryOnIt() {
		Conversation conversation = browser(ModelProfile.QWEN3_VL, HistoryWindow.DEFAULT).observe(1, shot(1), List.of());

		assertThat(text(conversation.messages().get(0), 0)).contains("The screen's resolution is 1000x1000.");
		assertThat(Prompts.historyEntry(ModelProfile.QWEN3_VL, 3, new LeftClick(new ModelPoint(644, 182)), MODEL))
			.isEqualTo("Step 3: {\"action\": \"left_click\", \"coordinate\": [500, 250]}");
	}

	@Test
	void aDesktopTaskGetsTheTrainedToolWithoutBrowserActions() {
		Conversation conversation = new AgentConversation(ModelProfile.QWEN2_5_VL, "Open the terminal", false,
				List.of(), new ImageSize(1036, 756), HistoryWindow.DEFAULT)
			.observe(1, shot(1), List.of());

		assertThat(text(conversation.messages().get(0), 0)).doesNotContain("`navigate`")
			.contains("The screen's resolution is 1036x756.");
	}

	@Test
	void uiTarsOpensWithItsOwnTemplateAndKeepsItsGrammarInTheHistory() {
		AgentConversation agent = new AgentConversation(ModelProfile.UI_TARS_1_5, "Buy the lamp", true,
				List.of("Secrets are written as {{name}}."), MODEL, HistoryWindow.DEFAULT);
		Conversation first = agent.observe(1, shot(1), List.of());
		assertThat(first.messages()).hasSize(1);
		assertThat(first.messages().getFirst().role()).isEqualTo(Role.USER);
		assertThat(text(first.messages().getFirst(), 0)).contains("## Action Space", "left_double(start_box=",
				"call_user()", "## User Instruction\nBuy the lamp\nSecrets are written as {{name}}.");
		assertThat(first.messages().getFirst().parts().getLast()).isInstanceOf(ImagePart.class);

		agent.answered("Thought: the lamp.\nAction: click(start_box='(5,6)')");
		agent.acted(List.of(Prompts.historyEntry(ModelProfile.UI_TARS_1_5, 1, new LeftClick(new ModelPoint(5, 6)), MODEL)));
		Conversation second = agent.observe(2, shot(2), List.of());

		assertThat(second.messages()).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
		assertThat(text(second.messages().get(2), 0)).isEqualTo("Step 1: click(start_box='(5,6)')\n");
	}

	@Test
	void aReaskAppendsTheAnswerAndTheProblemInTheFamilysForm() {
		AgentConversation qwen = browser(ModelProfile.QWEN2_5_VL, HistoryWindow.DEFAULT);
		Conversation first = qwen.observe(1, shot(1), List.of());
		qwen.answered("I would click");
		Conversation reask = qwen.reask("no <tool_call> found");

		assertThat(reask.messages()).hasSize(4).startsWith(first.messages().toArray(Message[]::new));
		assertThat(reask.messages().get(2)).isEqualTo(Message.assistant("I would click"));
		assertThat(text(reask.messages().get(3), 0)).contains("no <tool_call> found", "<tool_call>");

		AgentConversation tars = browser(ModelProfile.UI_TARS_1_5, HistoryWindow.DEFAULT);
		tars.observe(1, shot(1), List.of());
		tars.answered("Sure!");
		assertThat(text(tars.reask("no 'Action:' line").messages().get(2), 0)).contains("no 'Action:' line", "Thought:");
	}

	@Test
	void notesAndWhatTheLastStepDidOpenTheNextTurnBeforeItsScreenshot() {
		AgentConversation agent = browser(ModelProfile.QWEN2_5_VL, new HistoryWindow(2, 8));
		agent.observe(1, shot(1), List.of());
		agent.answered("<tool_call>...</tool_call>");
		agent.acted(List.of("Step 1: {\"action\": \"left_click\"}"));
		Conversation second = agent.observe(2, shot(2), List.of("(the screen did not change after step 1)"));

		var user = second.messages().getLast().parts();
		assertThat(((TextPart) user.get(0)).text())
			.isEqualTo("Step 1: {\"action\": \"left_click\"}\n(the screen did not change after step 1)\n");
		assertThat(user.get(1)).isInstanceOfSatisfying(ImagePart.class,
				image -> assertThat(image.encoded()).containsExactly(2));
		assertThat(second.images()).hasSize(2);
	}

	@Test
	void olderScreenshotsAreLeftOutAsABlockInTheirOwnPlaceSoEverythingBeforeThemStays() {
		AgentConversation agent = browser(ModelProfile.QWEN2_5_VL, new HistoryWindow(2, 8));
		Conversation before = null;
		for (int n = 1; n <= 4; n++) {
			before = agent.conversation();
			agent.observe(n, shot(n), List.of());
			agent.answered("answer " + n);
			if (n == 3) {
				assertThat(agent.conversation().images()).as("fewer than 2K: nothing left out").hasSize(3);
			}
		}
		Conversation fourth = agent.conversation();

		assertThat(fourth.images()).extracting(ImagePart::encoded).containsExactly(new byte[] { 3 }, new byte[] { 4 });
		// Steps 1 and 2 changed only in their screenshot's place: the system turn is the same, the answers too.
		assertThat(fourth.messages().get(0)).isEqualTo(before.messages().get(0));
		assertThat(fourth.messages().get(1).parts()).extracting(part -> part instanceof TextPart text ? text.text() : "image")
			.containsExactly("The user query: Buy the lamp\n", "(the screenshot of step 1 is left out)");
		assertThat(fourth.messages().get(3).parts()).extracting(part -> part instanceof TextPart text ? text.text() : "image")
			.containsExactly("(the screenshot of step 2 is left out)");
		assertThat(fourth.messages().get(2)).isEqualTo(before.messages().get(2));
		assertThat(fourth.messages().subList(4, 7)).isEqualTo(before.messages().subList(4, 7));
	}

	@Test
	void oldStepsAreDroppedAsABlockOnceTwiceTheKeptStepsGathered() {
		AgentConversation agent = browser(ModelProfile.QWEN2_5_VL, new HistoryWindow(1, 2));
		for (int n = 1; n <= 5; n++) {
			agent.observe(n, shot(n), List.of());
			agent.answered("answer " + n);
			// 4 previous steps are kept (twice 2) before a drop.
			assertThat(agent.conversation().messages()).filteredOn(m -> m.role() == Role.ASSISTANT).hasSize(n);
		}
		agent.observe(6, shot(6), List.of());
		// Step 6 found 5 previous steps: dropped to 2 (steps 4 and 5), the goal opening the first kept turn.
		Conversation trimmed = agent.conversation();
		assertThat(trimmed.messages()).filteredOn(m -> m.role() == Role.ASSISTANT)
			.containsExactly(Message.assistant("answer 4"), Message.assistant("answer 5"));
		assertThat(text(trimmed.messages().get(1), 0)).startsWith("The user query: Buy the lamp");
	}

	@Test
	void aWindowKeepsAtLeastTheCurrentScreenshot() {
		assertThatThrownBy(() -> new HistoryWindow(0, 8)).hasMessageContaining("at least the current screenshot");
	}

	/**
	 * The prefix-cache contract (issue 20): without a trim, step n+1's prompt, rendered with the Qwen chat template
	 * and tokenized, starts with step n's whole prompt (generation prompt included) followed by its answer. Re-asks
	 * append as well.
	 */
	@ParameterizedTest
	@EnumSource(ModelProfile.class)
	void eachStepsPromptStartsWithThePreviousPromptAndItsAnswerWhenNothingWasTrimmed(ModelProfile profile) {
		AgentConversation agent = browser(profile, new HistoryWindow(8, 8));
		String[] answers = { "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", "
				+ "\"coordinate\": [640, 360]}}\n</tool_call>", "Thought: the cart.\nAction: click(start_box='(5,6)')",
				"I would click the lamp", "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": "
						+ "\"type\", \"text\": \"lamp\"}}\n</tool_call>" };
		long[] previous = null;
		for (int n = 1; n <= answers.length; n++) {
			List<String> notes = n == 3 ? List.of("(the screen did not change after step 2)") : List.of();
			long[] prompt = ids(agent.observe(n, shot(n), notes));
			if (previous != null) {
				assertThat(startsWith(prompt, previous)).as("step %d starts with step %d's prompt and answer", n, n - 1)
					.isTrue();
			}
			agent.answered(answers[n - 1]);
			long[] answered = concat(prompt, TOKENIZER.encode(answers[n - 1]));
			if (n == 3) {
				long[] reask = ids(agent.reask("no <tool_call> found"));
				assertThat(startsWith(reask, answered)).as("the re-ask of step 3 appends").isTrue();
				agent.answered(answers[n - 1]);
				answered = concat(reask, TOKENIZER.encode(answers[n - 1]));
			}
			agent.acted(List.of(Prompts.historyEntry(profile, n, new LeftClick(new ModelPoint(640, 360)), MODEL)));
			previous = answered;
		}
	}

	private static long[] ids(Conversation conversation) {
		return TOKENIZER.encode(TEMPLATE.render(conversation, true));
	}

	private static boolean startsWith(long[] ids, long[] prefix) {
		return ids.length > prefix.length && Arrays.equals(Arrays.copyOf(ids, prefix.length), prefix);
	}

	private static long[] concat(long[] a, long[] b) {
		long[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	private static String text(Message message, int part) {
		return ((TextPart) message.parts().get(part)).text();
	}

}
