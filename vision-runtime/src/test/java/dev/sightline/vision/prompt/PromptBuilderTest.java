package dev.sightline.vision.prompt;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptBuilderTest {

	static QwenTokenizer tokenizer;

	static byte[] screenshot;

	@BeforeAll
	static void load() throws IOException {
		tokenizer = QwenTokenizer.fromClasspath(QwenTokenizer.BUNDLED_QWEN2_5);
		BufferedImage image = new BufferedImage(112, 56, BufferedImage.TYPE_3BYTE_BGR);
		screenshot = dev.sightline.vision.preprocess.ImageProcessorTestSupport.png(image);
	}

	@AfterAll
	static void close() {
		tokenizer.close();
	}

	private static Path tinyCheckpoint() throws URISyntaxException {
		return Path.of(PromptBuilderTest.class.getResource("/golden/qwen2_5_vl/models/tiny-a/config.json").toURI())
			.getParent();
	}

	private static Conversation agentTurn() {
		return Conversation.of(Message.system("You are a GUI agent."),
				Message.user(new TextPart("Click Submit."), ImagePart.of(screenshot)),
				Message.assistant("<tool_call>\n{\"name\": \"computer_use\"}\n</tool_call>"),
				Message.user(ImagePart.of(screenshot), new TextPart("And now?")));
	}

	@Test
	void rendersTheBuiltInTemplateWithADefaultSystemTurn() {
		String text = ChatTemplate.builtIn()
			.render(Conversation.of(Message.user(ImagePart.of(screenshot), new TextPart("Describe this image."))), true);
		assertThat(text).isEqualTo("""
				<|im_start|>system
				You are a helpful assistant.<|im_end|>
				<|im_start|>user
				<|vision_start|><|image_pad|><|vision_end|>Describe this image.<|im_end|>
				<|im_start|>assistant
				""");
	}

	@Test
	void checkpointJinjaTemplateRendersLikeTheBuiltInOne() throws Exception {
		ChatTemplate checkpoint = ChatTemplate.fromCheckpoint(tinyCheckpoint());
		assertThat(checkpoint).isInstanceOf(JinjaChatTemplate.class);
		for (Conversation conversation : List.of(agentTurn(),
				Conversation.of(Message.user(new TextPart("hi"))),
				Conversation.of(Message.user(new VideoPart(List.of(new TimedFrame(screenshot, 0))))))) {
			assertThat(checkpoint.render(conversation, true))
				.isEqualTo(ChatTemplate.builtIn().render(conversation, true));
		}
	}

	@Test
	void fallsBackToTheBuiltInTemplateWithoutOne(@org.junit.jupiter.api.io.TempDir Path empty) {
		assertThat(ChatTemplate.fromCheckpoint(empty)).isInstanceOf(BuiltInChatTemplate.class);
	}

	@Test
	void expandsEachImageToItsMergedTokenCount() {
		PromptBuilder builder = new PromptBuilder(tokenizer, ChatTemplate.builtIn(),
				new ImageProcessor(ProcessorConfig.PUBLISHED), 32768);
		PreparedPrompt prompt = builder.prepare(agentTurn(), true);
		assertThat(prompt.images()).hasSize(2);
		// 112x56 -> grid (1, 4, 8) -> 8 tokens per image.
		assertThat(prompt.images().get(0).grid().tokens(2)).isEqualTo(8);
		long pads = java.util.Arrays.stream(prompt.inputIds()).filter(id -> id == 151655).count();
		assertThat(pads).isEqualTo(16);
		long[] unexpanded = tokenizer.encode(builder.render(agentTurn(), true));
		assertThat(prompt.inputIds()).hasSize(unexpanded.length + 2 * 7);
		assertThat(tokenizer.decode(prompt.inputIds())).contains(
				"<|vision_start|>" + "<|image_pad|>".repeat(8) + "<|vision_end|>");
	}

	@Test
	void rejectsMorePlaceholdersThanImages() {
		PromptBuilder builder = new PromptBuilder(tokenizer, ChatTemplate.builtIn(),
				new ImageProcessor(ProcessorConfig.PUBLISHED), 32768);
		Conversation typed = Conversation
			.of(Message.user(ImagePart.of(screenshot), new TextPart("what is <|image_pad|> here?")));
		assertThatThrownBy(() -> builder.prepare(typed, true)).isInstanceOf(PromptException.class)
			.hasMessageContaining("2 <|image_pad|> placeholders but the conversation has 1 image");
	}

	@Test
	void rejectsImagesTheTemplateDoesNotPlace() {
		ChatTemplate textOnly = new JinjaChatTemplate(
				"{% for m in messages %}{{ m['role'] }}{% endfor %}");
		PromptBuilder builder = new PromptBuilder(tokenizer, textOnly, new ImageProcessor(ProcessorConfig.PUBLISHED),
				32768);
		assertThatThrownBy(() -> builder.prepare(agentTurn(), true)).isInstanceOf(PromptException.class)
			.hasMessageContaining("0 <|image_pad|> placeholders but the conversation has 2 images");
	}

	@Test
	void rejectsPromptsLongerThanTheContext() {
		PromptBuilder builder = new PromptBuilder(tokenizer, ChatTemplate.builtIn(),
				new ImageProcessor(ProcessorConfig.PUBLISHED), 40);
		assertThatThrownBy(() -> builder.prepare(agentTurn(), true)).isInstanceOf(PromptTooLongException.class)
			.hasMessageContaining("above the model's context of 40 tokens");
	}

}
