package dev.sightline.tools.turn;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.PngSize;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.preprocess.PixelBudget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TurnPipelineTest {

	/** A model at the model boundary: answers a fixed text and reports the image size it says it saw. */
	private static final class Answering implements VisionLanguageModel {

		final String answer;

		final List<ImageSize> seen;

		final List<Conversation> asked = new ArrayList<>();

		Answering(String answer, List<ImageSize> seen) {
			this.answer = answer;
			this.seen = seen;
		}

		@Override
		public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
			asked.add(conversation);
			return new Generation(answer, List.of(), FinishReason.STOP, 10, seen, 0, 1, 0, 3);
		}

		@Override
		public PixelBudget pixelBudget() {
			return new PixelBudget(3136, 1_003_520);
		}

		@Override
		public String name() {
			return "answering";
		}

	}

	private static final String CLICK = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": "
			+ "\"left_click\", \"coordinate\": [500, 300]}}\n</tool_call>";

	@Test
	void theViewIsTheScreenshotSmartResizedOnceWithItsMapping() throws IOException {
		TurnPipeline turns = new TurnPipeline(new Answering(CLICK, List.of()), ModelProfile.QWEN2_5_VL);
		byte[] png = png(1280, 720, "png");

		ModelView view = turns.view(Screenshot.ofPng(png, 1.0, Instant.now()));

		assertThat(view.size()).isEqualTo(new ImageSize(1288, 728));
		assertThat(view.mapping().screenshot()).isEqualTo(new ImageSize(1280, 720));
		// Pixels, resized once: no PNG is made unless a remote backend asks for bytes.
		assertThat(view.image().pixels()).get().extracting(RgbImage::size).isEqualTo(new ImageSize(1288, 728));
	}

	@Test
	void actionsMapFromTheSizeTheModelReportsItSaw() throws IOException {
		// The backend says it saw 1000x500 (a server that resized again): its point is read in that frame.
		TurnPipeline turns = new TurnPipeline(new Answering(CLICK, List.of(new ImageSize(1000, 500))),
				ModelProfile.QWEN2_5_VL);
		ModelView view = turns.view(Screenshot.ofPng(png(1280, 720, "png"), 1.0, Instant.now()));

		Reply reply = turns.ask(Conversation.of(dev.sightline.vision.chat.Message.user(view.image())),
				GenerationOptions.GREEDY, view);

		assertThat(reply.mapping().model()).isEqualTo(new ImageSize(1000, 500));
		assertThat(turns.actions(reply, reply.text())).containsExactly(new LeftClick(new ModelPoint(500, 300)));
		ScreenPoint screen = reply.mapping().toScreen(new ModelPoint(500, 300));
		assertThat(screen.xPx()).isCloseTo(640, within(0.01));
		assertThat(screen.yPx()).isCloseTo(432, within(0.01));
	}

	@Test
	void withoutAReportedSizeTheViewsOwnMappingHolds() throws IOException {
		TurnPipeline turns = new TurnPipeline(new Answering(CLICK, List.of()), ModelProfile.QWEN2_5_VL);
		ModelView view = turns.view(Screenshot.ofPng(png(1280, 720, "png"), 2.0, Instant.now()));

		Reply reply = turns.ask(Conversation.of(dev.sightline.vision.chat.Message.user(view.image())),
				GenerationOptions.GREEDY, view);

		assertThat(reply.mapping()).isEqualTo(view.mapping());
		assertThat(reply.mapping().toScreen(new ModelPoint(644, 364)).xPx()).isCloseTo(320, within(0.01));
	}

	@Test
	void aGroundingAnswerOffTheImageIsStillProjectedWhereItLands() throws IOException {
		Answering model = new Answering("[{\"point_2d\": [2000, 100], \"label\": \"far\"}]", List.of());
		TurnPipeline turns = new TurnPipeline(model, ModelProfile.QWEN2_5_VL);
		ModelView view = turns.view(png(1000, 500, "jpg"));

		Located located = turns.locate(turns.ask(Prompts.groundingPoint(turns.profile(), "the far thing", view.image()),
				GenerationOptions.GREEDY, view));

		assertThat(located.projectedPoint().xPx()).isGreaterThan(1000);
		assertThat(located.grounding().label()).isEqualTo("far");
		// A JPEG is decoded and resized once, and carries the budget it was resized with (PNG only when asked for bytes).
		ImagePart sent = model.asked.getFirst().images().getFirst();
		assertThat(PngSize.width(sent.encoded())).isEqualTo(view.size().widthPx());
		assertThat(sent.budget()).contains(model.pixelBudget());
	}

	private static byte[] png(int width, int height, String format) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		image.setRGB(width / 2, height / 2, 0xff0000);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, format, out);
		return out.toByteArray();
	}

}
