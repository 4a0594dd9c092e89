package dev.sightline.agent.video;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.video.VideoProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FrameSelectionTest {

	static final int TEMPORAL_PATCH_SIZE = 2;

	@Test
	void reproducesTheWorkedExampleOfAbsoluteTimeAlignment() {
		// Spec §7.6: frames sampled at fps 1, 3 temporal patches of 2 frames, tokens_per_second 25.
		double[] recorded = { 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5 };

		int[] chosen = FrameSelection.select(recorded, 1.0, 6);
		double[] times = pick(recorded, chosen);
		float secondPerGridT = VideoProcessor.secondPerGridT(times, TEMPORAL_PATCH_SIZE);

		assertThat(times).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(secondPerGridT).isEqualTo(2.0f);
		// The temporal id step: tokens_per_second * second_per_grid_t = 25 * 2 = 50 (0, 50, 100 in the table).
		assertThat(25 * secondPerGridT).isEqualTo(50.0f);
	}

	@Test
	void keepsTheRealTimesOfIrregularlySpacedScreenshots() {
		// Steps take as long as the model and the page take: screenshots at uneven times.
		double[] recorded = { 0, 0.8, 2.9, 3.4, 7.0, 7.3, 11.2 };

		int[] chosen = FrameSelection.select(recorded, 1.0, 64);
		double[] times = pick(recorded, chosen);

		assertThat(times).containsExactly(0, 2.9, 7.0, 11.2);
		// second_per_grid_t from the real span (11.2 s over 3 intervals), not 2 / fps = 2.
		assertThat(VideoProcessor.secondPerGridT(times, TEMPORAL_PATCH_SIZE)).isCloseTo(2 * 11.2f / 3,
				within(1e-5f));
	}

	@Test
	void alwaysKeepsTheFinalScreen() {
		double[] recorded = { 0, 1, 2, 2.4 };

		assertThat(FrameSelection.select(recorded, 1.0, 64)).containsExactly(0, 1, 3);
	}

	@Test
	void thinsToMaxFramesNearestToEvenlySpacedInstants() {
		double[] recorded = { 0, 1, 2, 3, 9, 10, 11, 12 };

		int[] chosen = FrameSelection.select(recorded, 10.0, 3);

		// Instants 0, 6, 12: 6 s is nearest to 3 s (3 away) rather than 9 s (3 away, later): the first wins.
		assertThat(pick(recorded, chosen)).containsExactly(0, 3, 12);
	}

	@Test
	void neverChoosesAFrameTwice() {
		double[] recorded = { 0, 0.1, 0.2, 10 };

		int[] chosen = FrameSelection.select(recorded, 100.0, 3);

		assertThat(chosen).doesNotHaveDuplicates().isSorted().hasSize(3);
		assertThat(chosen[2]).isEqualTo(3);
	}

	@Test
	void selectsNothingFromAnEmptyRecording() {
		assertThat(FrameSelection.select(new double[0], 1.0, 8)).isEmpty();
	}

	@Test
	void rejectsTimesThatDoNotIncreaseAndBadLimits() {
		assertThatThrownBy(() -> FrameSelection.select(new double[] { 0, 2, 2 }, 1, 8))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("strictly increase");
		assertThatThrownBy(() -> FrameSelection.select(new double[] { 0 }, 0, 8))
			.hasMessageContaining("fps must be a finite number > 0");
		assertThatThrownBy(() -> FrameSelection.select(new double[] { 0 }, 1, 0))
			.hasMessageContaining("maxFrames must be at least 1");
	}

	static double[] pick(double[] values, int[] indices) {
		return Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
	}

}
