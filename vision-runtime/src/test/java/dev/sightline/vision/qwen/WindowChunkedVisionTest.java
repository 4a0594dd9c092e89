package dev.sightline.vision.qwen;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.qwen.vision.VisionTower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A large image's blocks run as separate units — a windowed block by runs of whole windows, a full-attention block
 * by its queries, keys and values then runs of queries — so its encode stalls running decodes for a unit, not a
 * block; the features are those of whole blocks: on tiny-a's several-window image, one window and one query per unit.
 */
class WindowChunkedVisionTest {

	static QwenModel model;

	@BeforeAll
	static void load() {
		model = QwenModel.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void windowChunksGiveTheFeaturesOfWholeBlocksInMoreUnitsOfWork() {
		ModelInputs inputs = TinyCheckpoints.inputs("lm_a_image_multiwin");
		VisionTower tower = model.vision();
		int depth = model.config().vision().depth();
		try (NDManager scope = model.newRequestManager()) {
			NDArray pixels = LoadedModel.patchRows(scope, inputs.pixelValues(), model.config().vision().patchRowWidth());
			float[] whole;
			try (VisionTower.Encoding encoding = tower.begin(scope, pixels, inputs.imageGrids())) {
				assertThat(encoding.blocksLeft()).isEqualTo(depth);
				encoding.advance(Integer.MAX_VALUE);
				whole = encoding.result().toFloatArray();
			}
			try (VisionTower.Encoding encoding = tower.begin(scope, pixels, inputs.imageGrids(), 1)) {
				int units = encoding.blocksLeft();
				int patches = inputs.imageGrids().stream().mapToInt(g -> g.patches()).sum();
				int fullBlocks = (int) java.util.stream.IntStream.range(0, depth)
					.filter(model.config().vision()::isFullAttention)
					.count();
				assertThat(fullBlocks).as("tiny-a has a full-attention block").isPositive();
				assertThat(units).as("units of work with one window or one query per unit")
					.isGreaterThan(fullBlocks * (1 + patches));
				int steps = 0;
				while (!encoding.advance(1)) {
					steps++;
					assertThat(encoding.blocksLeft()).isEqualTo(units - steps);
				}
				float[] chunked = encoding.result().toFloatArray();
				assertThat(steps + 1).isEqualTo(units);
				assertThat(chunked).hasSize(whole.length);
				for (int i = 0; i < whole.length; i++) {
					assertThat(chunked[i]).as("feature %d", i).isCloseTo(whole[i], within(1e-5f));
				}
			}
		}
	}

}
