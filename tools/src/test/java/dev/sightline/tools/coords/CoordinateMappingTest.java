package dev.sightline.tools.coords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

class CoordinateMappingTest {

	private static final long[] MAX_PIXELS = { 12_845_056, 1280 * 28 * 28, 256 * 28 * 28, 64 * 28 * 28 };

	@ParameterizedTest
	@ValueSource(doubles = { 1, 1.25, 2 })
	void roundTripsEveryModelPointAcrossResizeFactors(double dpr) {
		Random random = new Random(42);
		for (int trial = 0; trial < 200; trial++) {
			int cssWidth = 200 + random.nextInt(2400);
			int cssHeight = 200 + random.nextInt(1400);
			ImageSize screenshot = new ImageSize((int) Math.round(cssWidth * dpr), (int) Math.round(cssHeight * dpr));
			PixelBudget budget = new PixelBudget(3136, MAX_PIXELS[trial % MAX_PIXELS.length]);
			CoordinateMapping mapping = CoordinateMapping.forScreenshot(screenshot, dpr, budget);
			for (int i = 0; i < 50; i++) {
				ModelPoint point = new ModelPoint(random.nextInt(mapping.model().widthPx()),
						random.nextInt(mapping.model().heightPx()));
				ScreenPoint screen = mapping.toScreen(point);
				assertThat(screen.xPx()).isBetween(0.0, mapping.screenWidthPx());
				assertThat(screen.yPx()).isBetween(0.0, mapping.screenHeightPx());
				assertThat(mapping.toModel(screen)).as("%s via %s with %s", point, screen, mapping).isEqualTo(point);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(doubles = { 1, 1.25, 2 })
	void screenPointsComeBackWithinHalfAModelPixel(double dpr) {
		Random random = new Random(7);
		for (int trial = 0; trial < 200; trial++) {
			ImageSize screenshot = new ImageSize(300 + random.nextInt(3000), 300 + random.nextInt(2000));
			CoordinateMapping mapping = CoordinateMapping.forScreenshot(screenshot, dpr,
					new PixelBudget(3136, MAX_PIXELS[trial % MAX_PIXELS.length]));
			double modelPixelX = screenshot.widthPx() / (double) mapping.model().widthPx() / dpr;
			double modelPixelY = screenshot.heightPx() / (double) mapping.model().heightPx() / dpr;
			ScreenPoint screen = new ScreenPoint(random.nextDouble() * mapping.screenWidthPx(),
					random.nextDouble() * mapping.screenHeightPx());
			ScreenPoint back = mapping.toScreen(mapping.toModel(screen));
			assertThat(back.xPx()).isCloseTo(screen.xPx(), within(modelPixelX / 2 + 1e-9));
			assertThat(back.yPx()).isCloseTo(screen.yPx(), within(modelPixelY / 2 + 1e-9));
		}
	}

	@Test
	void mapsTheSpecExampleToScreenPixels() {
		// 1920x1080 with max_pixels 1280*28*28 is resized to 1316x728 (spec §4.1).
		CoordinateMapping mapping = CoordinateMapping.forScreenshot(new ImageSize(1920, 1080), 1,
				new PixelBudget(3136, 1280 * 28 * 28));
		assertThat(mapping.model()).isEqualTo(new ImageSize(1316, 728));
		ScreenPoint screen = mapping.toScreen(new ModelPoint(658, 364));
		assertThat(screen.xPx()).isCloseTo(960, within(1e-9));
		assertThat(screen.yPx()).isCloseTo(540, within(1e-9));
	}

	@Test
	void dividesByTheDevicePixelRatioForCssPixels() {
		CoordinateMapping mapping = new CoordinateMapping(new ImageSize(2560, 1440), new ImageSize(1288, 728), 2);
		ScreenPoint screen = mapping.toScreen(new ModelPoint(644, 364));
		assertThat(screen.xPx()).isCloseTo(640, within(1e-9));
		assertThat(screen.yPx()).isCloseTo(360, within(1e-9));
	}

	@Test
	void rejectsModelPointsOutsideTheImageInsteadOfClamping() {
		CoordinateMapping mapping = new CoordinateMapping(new ImageSize(1280, 720), new ImageSize(1288, 728), 1);
		assertThatThrownBy(() -> mapping.toScreen(new ModelPoint(1288, 10))).isInstanceOf(OutOfScreenException.class)
			.hasMessageContaining("(1288, 10)")
			.hasMessageContaining("[0, 1288)");
		assertThatThrownBy(() -> mapping.toScreen(new ModelPoint(5, -1))).isInstanceOf(OutOfScreenException.class);
		assertThatThrownBy(() -> mapping.toModel(new ScreenPoint(1280, 5))).isInstanceOf(OutOfScreenException.class)
			.hasMessageContaining("1280.00x720.00");
	}

	@Test
	void rejectsADevicePixelRatioThatIsNotPositive() {
		assertThatThrownBy(() -> new CoordinateMapping(new ImageSize(10, 10), new ImageSize(28, 28), 0))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("(0, 16]");
	}

	@Test
	void boxesSwapReversedCornersAndClickTheirCentre() {
		ModelBox box = new ModelBox(300, 220, 100, 120);
		assertThat(box).isEqualTo(new ModelBox(100, 120, 300, 220));
		assertThat(box.centre()).isEqualTo(new ModelPoint(200, 170));
		assertThat(new ModelBox(10, 10, 13, 13).centre()).isEqualTo(new ModelPoint(12, 12));
	}

}
