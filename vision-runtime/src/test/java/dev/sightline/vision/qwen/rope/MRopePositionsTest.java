package dev.sightline.vision.qwen.rope;

import java.util.List;

import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.preprocess.GridThw;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MRopePositionsTest {

	private static final int IMAGE = 151655;

	private static final int VIDEO = 151656;

	private static final int START = 151652;

	private static final int END = 151653;

	@Test
	void seedWorkedExampleGivesTemporalIdsFollowingAbsoluteTime() {
		// Spec §7.6: tokens_per_second 25, temporal patch 2, fps 1 -> second_per_grid_t 2; merged grid 3 x 2 x 2,
		// then 5 text tokens. The <|vision_start|> before the video takes position 0, so everything after is +1.
		MRopePositions rope = new MRopePositions(IMAGE, VIDEO, START, 2, 25);
		long[] ids = new long[18];
		ids[0] = START;
		java.util.Arrays.fill(ids, 1, 13, VIDEO);
		java.util.Arrays.fill(ids, 13, 18, 100);
		RopeIndex index = rope.compute(new long[][] { ids }, null, null, List.of(new GridThw(3, 4, 4)),
				new float[] { 2f });
		long[][] relative = new long[3][];
		for (int axis = 0; axis < 3; axis++) {
			relative[axis] = java.util.Arrays.stream(index.positionIds()[axis][0], 1, 18).map(v -> v - 1).toArray();
		}
		assertThat(relative[0]).containsExactly(0, 0, 0, 0, 50, 50, 50, 50, 100, 100, 100, 100, 101, 102, 103, 104,
				105);
		assertThat(relative[1]).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 101, 102, 103, 104, 105);
		assertThat(relative[2]).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 101, 102, 103, 104, 105);
		assertThat(index.ropeDeltas()).containsExactly(107 - 18);
	}

	@Test
	void imageUsesMergedRowsAndColumnsAfterTheTextBeforeIt() {
		MRopePositions rope = new MRopePositions(IMAGE, VIDEO, START, 2, 2);
		long[] ids = { 1, 2, START, IMAGE, IMAGE, IMAGE, IMAGE, IMAGE, IMAGE, END, 3 };
		RopeIndex index = rope.compute(new long[][] { ids }, null, List.of(new GridThw(1, 4, 6)), null, null);
		long[][][] p = index.positionIds();
		assertThat(p[0][0]).containsExactly(0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7);
		assertThat(p[1][0]).containsExactly(0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7);
		assertThat(p[2][0]).containsExactly(0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7);
		assertThat(index.ropeDeltas()).containsExactly(8 - 11);
	}

	@Test
	void fractionalSecondsPerGridAreTruncatedOnlyAfterMultiplying() {
		// fps 4 -> 0.5 s per grid; tokens_per_second 25 -> 0, 12 (12.5), 25.
		MRopePositions rope = new MRopePositions(IMAGE, VIDEO, START, 2, 25);
		long[] ids = { START, VIDEO, VIDEO, VIDEO, END };
		RopeIndex index = rope.compute(new long[][] { ids }, null, null, List.of(new GridThw(3, 2, 2)),
				new float[] { 0.5f });
		assertThat(index.positionIds()[0][0]).containsExactly(0, 1, 13, 26, 27);
	}

	@Test
	void leftPaddingGetsOnesAndShiftsTheDelta() {
		MRopePositions rope = new MRopePositions(IMAGE, VIDEO, START, 2, 2);
		long[][] ids = { { 0, 0, 5, 6, 7 } };
		long[][] mask = { { 0, 0, 1, 1, 1 } };
		RopeIndex index = rope.compute(ids, mask, null, null, null);
		assertThat(index.positionIds()[0][0]).containsExactly(1, 1, 0, 1, 2);
		assertThat(index.ropeDeltas()).containsExactly(-2);
	}

	@Test
	void decodingContinuesAtCachePositionPlusDelta() {
		assertThat(MRopePositions.decodePosition(17, 106 - 17)).isEqualTo(106);
	}

	@Test
	void rejectsMoreImagesThanGrids() {
		MRopePositions rope = new MRopePositions(IMAGE, VIDEO, START, 2, 2);
		long[] ids = { START, IMAGE, END, START, IMAGE, END };
		assertThatThrownBy(() -> rope.compute(new long[][] { ids }, null, List.of(new GridThw(1, 2, 2)), null, null))
			.isInstanceOf(VisionRuntimeException.class)
			.hasMessageContaining("more images than the 1 image grids");
	}

}
