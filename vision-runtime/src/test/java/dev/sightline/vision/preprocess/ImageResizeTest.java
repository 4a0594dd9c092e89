package dev.sightline.vision.preprocess;

import java.awt.image.BufferedImage;
import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageResizeTest {

	private static final PixelBudget AGENT = new PixelBudget(3136, 1_003_520);

	@Test
	void givesEachFamilyItsOwnModelImageSize() {
		ImageSize screen = new ImageSize(1280, 720);
		assertThat(ImageResize.qwen25(AGENT).size(screen)).isEqualTo(new ImageSize(1288, 728));
		// Qwen3-VL patches 16 px merged 2x2: multiples of 32 (720 / 32 = 22.5 rounds half-even to 22).
		assertThat(new ImageResize(AGENT, 32).size(screen)).isEqualTo(new ImageSize(1280, 704));
	}

	@Test
	void leavesAnImageAlreadyAtItsModelSizeAsItIs() {
		RgbImage sized = RgbImage.of(new byte[56 * 84 * 3], 56, 84);
		assertThat(ImageResize.qwen25(PixelBudget.PUBLISHED).apply(sized)).isSameAs(sized);
	}

	@Test
	void resizedOnceByTheAgentGivesTheSamePatchesAsTheScreenshotPngDid() throws IOException {
		// Before: the model got a PNG of the screenshot and resized it itself. Now the agent resizes the decoded
		// pixels once and the model patches them as they are: the model's inputs must not change by a bit.
		ImageProcessor processor = new ImageProcessor(ProcessorConfig.PUBLISHED);
		byte[] screenshotPng = ImageProcessorTest.png(ImageProcessorTest.pattern(1280, 720, BufferedImage.TYPE_3BYTE_BGR));
		ProcessedImage fromPng = processor.process(screenshotPng, AGENT);

		RgbImage resized = processor.resizeRule(AGENT).apply(processor.decoder().decode(screenshotPng));
		ProcessedImage fromPixels = processor.process(resized, AGENT);

		assertThat(fromPixels.resized()).isEqualTo(new ImageSize(1288, 728));
		assertThat(fromPixels.grid()).isEqualTo(fromPng.grid());
		assertThat(fromPixels.pixelValues()).isEqualTo(fromPng.pixelValues());
	}

}
