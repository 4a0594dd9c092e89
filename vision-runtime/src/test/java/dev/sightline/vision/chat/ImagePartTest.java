package dev.sightline.vision.chat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageProcessorTestSupport;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.prompt.PromptBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePartTest {

	@Test
	void pixelsAreEncodedOnlyWhenBytesAreAskedForAndThenDecodeToTheSamePixels() throws IOException {
		RgbImage pixels = new ImageDecoder().decode(ImageProcessorTestSupport.png(ImageProcessorTestSupport.pattern(90, 70)));
		ImagePart part = ImagePart.of(pixels);
		assertThat(part.pixels()).containsSame(pixels);
		byte[] png = part.encoded();
		assertThat(part.encoded()).as("encoded once").isSameAs(png);
		assertThat(new ImageDecoder().decode(png).rgb()).isEqualTo(pixels.rgb());
	}

	@Test
	void theModelGetsTheSamePatchesFromPixelsAsFromTheirPng() throws IOException {
		byte[] png = ImageProcessorTestSupport.png(ImageProcessorTestSupport.pattern(1280, 720));
		ImageProcessor processor = new ImageProcessor(ProcessorConfig.PUBLISHED);
		RgbImage pixels = processor.decoder().decode(png);

		List<ProcessedImage> processed = PromptBuilder.processImages(processor,
				List.of(ImagePart.of(png), ImagePart.of(pixels)));

		assertThat(ImagePart.of(png).pixels()).isEmpty();
		assertThat(processed.get(1).grid()).isEqualTo(processed.get(0).grid());
		// isEqualTo compares arrays element-wise; containsExactly would diff millions of values quadratically.
		assertThat(processed.get(1).pixelValues()).isEqualTo(processed.get(0).pixelValues());
	}

}
