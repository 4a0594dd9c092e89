package dev.sightline.tools.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sightline.tools.prompt.ComputerUsePrompt.Extension;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;

class ComputerUsePromptTest {

	@Test
	void rendersTheTrainedDesktopPromptByteForByte() throws IOException {
		// Reference: qwen_agent's NousFnCallPrompt rendering of the cookbook ComputerUse tool (spec §9.3, §9.4).
		ImageSize display = SmartResize.fit(new ImageSize(1280, 800), PixelBudget.PUBLISHED);
		assertThat(ComputerUsePrompt.desktop(display).systemPrompt())
			.isEqualTo(resource("/prompt/computer_use_system_1288x812.txt"));
	}

	@Test
	void declaresTheResizedImageSizeNotThePhysicalScreen() {
		ImageSize display = SmartResize.fit(new ImageSize(1920, 1080), new PixelBudget(3136, 1280 * 28 * 28));
		assertThat(ComputerUsePrompt.desktop(display).toolJson()).contains("The screen's resolution is 1316x728.");
	}

	@Test
	void browserExtensionAddsNavigationActionsAndAUrlParameter() throws IOException {
		ComputerUsePrompt prompt = ComputerUsePrompt.browser(new ImageSize(1288, 728)).with(Extension.ANSWER);
		JsonNode tool = new ObjectMapper().readTree(prompt.toolJson());
		JsonNode properties = tool.at("/function/parameters/properties");
		assertThat(properties.at("/action/enum")).extracting(JsonNode::asText)
			.containsSubsequence("terminate", "answer", "navigate", "back", "forward", "reload");
		assertThat(properties.at("/url/type").asText()).isEqualTo("string");
		assertThat(properties.at("/action/description").asText()).contains("* `navigate`: Open a URL");
	}

	@Test
	void browserPromptOffersTheDialogActionWithItsButtons() throws IOException {
		JsonNode properties = new ObjectMapper()
			.readTree(ComputerUsePrompt.browser(new ImageSize(1288, 728)).with(Extension.ANSWER).toolJson())
			.at("/function/parameters/properties");
		assertThat(properties.at("/action/enum")).extracting(JsonNode::asText).contains("dialog");
		assertThat(properties.at("/action/description").asText()).contains("* `dialog`: Answer the JavaScript dialog");
		assertThat(properties.at("/button/enum")).extracting(JsonNode::asText).containsExactly("accept", "dismiss");
		assertThat(properties.at("/text/description").asText()).contains("optional for `action=dialog`");
		assertThat(ComputerUsePrompt.desktop(new ImageSize(1288, 728)).toolJson()).doesNotContain("dialog");
	}

	@Test
	void toolJsonIsOneLineOfValidJson() throws IOException {
		String json = ComputerUsePrompt.desktop(new ImageSize(728, 1288)).toolJson();
		assertThat(json).doesNotContain("\n");
		assertThat(new ObjectMapper().readTree(json).at("/function/name").asText()).isEqualTo("computer_use");
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = ComputerUsePromptTest.class.getResourceAsStream(path)) {
			assertThat(in).as(path).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
