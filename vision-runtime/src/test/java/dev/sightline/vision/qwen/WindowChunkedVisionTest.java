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
 * A windowed block run as separate units of whole windows (so a large screenshot's encode stalls running decodes
 * for a chunk, not a block) gives the features of the whole encode: on tiny-a's several-window image, one window
 * per chunk.
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
				assertThat(units).as("units of work with one window per chunk").isGreaterThan(depth);
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
