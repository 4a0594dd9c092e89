package dev.sightline.vision.qwen3;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen3.vision.Qwen3VisionTower;
import dev.sightline.vision.qwen3.vision.VisionFeatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A large image's Qwen3-VL blocks run as separate units — a block's queries, keys and values, then runs of queries
 * through attention and the rest of the block — so its encode stalls running decodes for a unit, not a block; the
 * merged and DeepStack features are those of whole blocks. Two images, so runs stay within one image each.
 */
class Qwen3VisionUnitsTest {

	static Qwen3Model model;

	@BeforeAll
	static void load() {
		model = Qwen3Model.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void queryRunsGiveTheFeaturesOfWholeBlocksInMoreUnitsOfWork() {
		Qwen3VisionTower tower = model.vision();
		int depth = model.config().vision().depth();
		int width = model.config().vision().patchRowWidth();
		List<GridThw> grids = List.of(new GridThw(1, 8, 12), new GridThw(1, 4, 4));
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		float[] values = new float[patches * width];
		SplittableRandom random = new SplittableRandom(5);
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) random.nextGaussian();
		}
		try (NDManager scope = model.newRequestManager()) {
			NDArray pixels = scope.create(values, new Shape(patches, width));
			VisionFeatures whole;
			try (Qwen3VisionTower.Encoding encoding = tower.begin(scope, pixels, grids)) {
				assertThat(encoding.blocksLeft()).as("images under a run's size: a unit per block").isEqualTo(depth);
				encoding.advance(Integer.MAX_VALUE);
				whole = encoding.result();
			}
			try (Qwen3VisionTower.Encoding encoding = tower.begin(scope, pixels, grids, 16)) {
				// 96 patches in 6 runs of 16, 16 patches in one: 1 + 7 units per block.
				int units = encoding.blocksLeft();
				assertThat(units).isEqualTo(depth * 8);
				int steps = 0;
				while (!encoding.advance(1)) {
					steps++;
					assertThat(encoding.blocksLeft()).isEqualTo(units - steps);
				}
				assertThat(steps + 1).isEqualTo(units);
				VisionFeatures chunked = encoding.result();
				assertClose(chunked.embeds(), whole.embeds(), "merged features");
				assertThat(chunked.deepstack()).hasSameSizeAs(whole.deepstack()).isNotEmpty();
				for (int k = 0; k < whole.deepstack().size(); k++) {
					assertClose(chunked.deepstack().get(k), whole.deepstack().get(k), "DeepStack level " + k);
				}
			}
		}
	}

	private static void assertClose(NDArray actual, NDArray expected, String what) {
		float[] a = actual.toFloatArray();
		float[] e = expected.toFloatArray();
		assertThat(a).as(what).hasSize(e.length);
		for (int i = 0; i < e.length; i++) {
			assertThat(a[i]).as("%s %d", what, i).isCloseTo(e[i], within(1e-5f));
		}
	}

}
