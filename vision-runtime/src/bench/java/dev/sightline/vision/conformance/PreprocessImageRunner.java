package dev.sightline.vision.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.InvalidImageException;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * {@code preprocess_image}: PNG to pixel_values with the case's processor settings; checks the alpha composite,
 * the resized 8-bit image, the grid and the normalized patches. Error cases pass only when the image is rejected.
 */
final class PreprocessImageRunner implements CaseRunner {

	@Override
	public String kind() {
		return "preprocess_image";
	}

	@Override
	public CaseOutcome run(GoldenCase c, Path dir) throws Exception {
		ProcessorConfig config = ProcessorConfig.fromJson(c.params());
		ImageProcessor processor = new ImageProcessor(config);
		byte[] png = Files.readAllBytes(c.file(dir, "image"));
		if (c.expectError()) {
			try {
				ProcessedImage unexpected = processor.process(png, config.budget());
				return CaseOutcome.failed("accepted an input the reference rejects ("
						+ c.params().path("error_message").asText() + "), produced " + unexpected);
			}
			catch (InvalidImageException expected) {
				return CaseOutcome.passed();
			}
		}
		RgbImage rgb = processor.decoder().decode(png);
		RgbImage resized = processor.resize(rgb, config.budget());
		ProcessedImage processed = processor.process(rgb, config.budget());
		List<Optional<String>> checks = new ArrayList<>();
		try (SafeTensorsFile expected = SafeTensorsFile.open(c.file(dir, "expected"))) {
			if (expected.contains("rgb_u8")) {
				checks.add(Tolerance.compareExact("rgb_u8", Golden.unsigned(rgb.rgb()), expected.longs("rgb_u8")));
			}
			checks.add(Tolerance.compareExact("resized_hw",
					new long[] { resized.heightPx(), resized.widthPx() }, expected.longs("resized_hw")));
			checks.add(Tolerance.compareExact("image_grid_thw", Golden.grid(processed.grid()),
					expected.longs("image_grid_thw")));
			if (checks.stream().allMatch(Optional::isEmpty)) {
				checks.add(Tolerance.compareExact("resized_u8", Golden.unsigned(resized.rgb()),
						expected.longs("resized_u8")));
				checks.add(c.tolerance().compare("pixel_values", processed.pixelValues(),
						expected.floats("pixel_values")));
			}
		}
		return CaseOutcome.of(checks);
	}

}
