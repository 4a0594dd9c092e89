package dev.sightline.vision.preprocess;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmartResizeTest {

	@ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
	@CsvSource({ "1920,1080,1932,1092", "1280,800,1288,812", "1366,768,1372,756", "2560,1440,2548,1428",
			"3840,2160,3836,2156", "1080,2400,1092,2408", "720,1280,728,1288" })
	void matchesTheSpecWorkedExamplesAtThePublishedBudget(int w, int h, int expectedW, int expectedH) {
		assertThat(SmartResize.fit(new ImageSize(w, h), PixelBudget.PUBLISHED))
			.isEqualTo(new ImageSize(expectedW, expectedH));
	}

	@Test
	void shrinksIntoASmallerMaxPixelsBudget() {
		assertThat(SmartResize.fit(new ImageSize(1920, 1080), new PixelBudget(3136, 1280 * 28 * 28)))
			.isEqualTo(new ImageSize(1316, 728));
	}

	@Test
	void roundsHalfToEvenLikePython() {
		// 1078 / 28 = 38.5 -> 38 (half-even), where half-up would give 39.
		assertThat(SmartResize.fit(new ImageSize(280, 1078), PixelBudget.PUBLISHED).heightPx()).isEqualTo(1064);
	}

	@Test
	void keepsAtLeastOneFactorPerSideInTheMaxPixelsBranch() {
		assertThat(SmartResize.fit(new ImageSize(31, 639), new PixelBudget(3136, 7840)))
			.isEqualTo(new ImageSize(28, 392));
	}

	@Test
	void allowsAnAspectRatioOfExactly200() {
		assertThat(SmartResize.fit(new ImageSize(2800, 14), new PixelBudget(784, 12_845_056)))
			.isEqualTo(new ImageSize(420, 28));
	}

	@Test
	void rejectsImagesWithExtremeAspectRatio() {
		assertThatThrownBy(() -> SmartResize.fit(new ImageSize(2801, 14), PixelBudget.PUBLISHED))
			.isInstanceOf(InvalidImageException.class)
			.hasMessageContaining("at most 200")
			.hasMessageContaining("2801x14");
	}

	@Test
	void rejectsABudgetWhoseMaximumIsBelowItsMinimum() {
		assertThatThrownBy(() -> new PixelBudget(1000, 10)).hasMessageContaining("max_pixels (10)");
	}

}
