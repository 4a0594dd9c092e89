package dev.sightline.agent.loop;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.preprocess.ImageSize;

import static org.assertj.core.api.Assertions.assertThat;

class PromptBuilderTest {

	static final TaskTarget BROWSER = new TaskTarget.Browser("https://example.com", null, null);

	@Test
	void declaresTheResizedDisplayAndPutsTheScreenshotLast() {
		byte[] png = { 1, 2, 3 };
		Conversation conversation = PromptBuilder.build(ModelProfile.QWEN2_5_VL, "Buy the lamp", BROWSER, new ImageSize(1288, 728), List.of(),
				List.of(ImagePart.of(png)));

		assertThat(conversation.messages()).hasSize(2);
		assertThat(conversation.messages().get(0).role()).isEqualTo(Role.SYSTEM);
		assertThat(((TextPart) conversation.messages().get(0).parts().get(0)).text())
			.contains("The screen's resolution is 1288x728.")
			.contains("`navigate`")
			.contains("`answer`");
		var user = conversation.messages().get(1).parts();
		assertThat(((TextPart) user.get(0)).text()).startsWith("The user query: Buy the lamp");
		assertThat(user.get(user.size() - 1)).isInstanceOfSatisfying(ImagePart.class,
				image -> assertThat(image.encoded()).isSameAs(png));
	}

	@Test
	void listsThePreviousActionsAndLabelsOlderScreenshots() {
		Conversation conversation = PromptBuilder.build(ModelProfile.QWEN2_5_VL, "Buy the lamp", BROWSER, new ImageSize(1288, 728),
				List.of("Step 1: {\"action\":\"left_click\"}", "(the screen did not change after step 1)"),
				List.of(ImagePart.of(new byte[] { 1 }), ImagePart.of(new byte[] { 2 })));

		var user = conversation.messages().get(1).parts();
		assertThat(((TextPart) user.get(0)).text()).contains("Task progress")
			.contains("Step 1: {\"action\":\"left_click\"}; (the screen did not change after step 1); ");
		assertThat(user).filteredOn(ImagePart.class::isInstance).hasSize(2);
		assertThat(user).filteredOn(TextPart.class::isInstance)
			.extracting(part -> ((TextPart) part).text())
			.contains("\nEarlier screenshot 1:", "\nCurrent screenshot:");
	}

	@Test
	void aDesktopTaskGetsTheTrainedToolWithoutBrowserActions() {
		Conversation conversation = PromptBuilder.build(ModelProfile.QWEN2_5_VL, "Open the terminal", new TaskTarget.Desktop(":99"),
				new ImageSize(1036, 756), List.of(), List.of(ImagePart.of(new byte[] { 1 })));

		assertThat(((TextPart) conversation.messages().get(0).parts().get(0)).text()).doesNotContain("`navigate`")
			.contains("The screen's resolution is 1036x756.");
	}

	@Test
	void aReaskCarriesTheAnswerAndTheProblem() {
		Conversation first = PromptBuilder.build(ModelProfile.QWEN2_5_VL, "Buy", BROWSER, new ImageSize(1288, 728), List.of(),
				List.of(ImagePart.of(new byte[] { 1 })));

		Conversation reask = PromptBuilder.reask(ModelProfile.QWEN2_5_VL, first, "I would click", "no <tool_call> found");

		assertThat(reask.messages()).hasSize(4);
		assertThat(reask.messages().get(2).role()).isEqualTo(Role.ASSISTANT);
		assertThat(((TextPart) reask.messages().get(3).parts().get(0)).text()).contains("no <tool_call> found");
	}

}
