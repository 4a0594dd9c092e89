package dev.sightline.vision.qwen;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.qwen.vision.VisionTower;
import dev.sightline.vision.qwen.vision.VisionWeights;
import dev.sightline.vision.weights.TensorReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Zero-padding the vision MLP intermediate (done at load for widths like the published 3420) leaves the vision
 * features unchanged. tiny-a's intermediate is 64, so the test pads it to a multiple of 48 (96).
 */
class VisionPaddingTest {

	@Test
	void paddedMlpIntermediateGivesTheSameVisionFeatures() {
		ModelInputs inputs = TinyCheckpoints.inputs("lm_a_image_multiwin");
		try (QwenModel model = QwenModel.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32);
				NDManager scope = model.newRequestManager()) {
			float[] before = model.encodeVision(scope, inputs.pixelValues(), inputs.imageGrids()).toFloatArray();

			VisionTower.padIntermediate(model.config().vision(), model.weights(), 48);

			assertThat(model.weights().get("visual.blocks.0.mlp.gate_proj.weight").getShape().get(0)).isEqualTo(96);
			assertThat(model.weights().get("visual.blocks.0.mlp.up_proj.bias").getShape().get(0)).isEqualTo(96);
			assertThat(model.weights().get("visual.blocks.3.mlp.down_proj.weight").getShape().get(1)).isEqualTo(96);
			// The model's tower holds the records read at load; a tower over the padded tensors encodes again.
			VisionTower padded = new VisionTower(model.config().vision(),
					VisionWeights.read(TensorReader.of(model.weights()), model.config().vision(), 96),
					model.vision().precision());
			int width = model.config().vision().patchRowWidth();
			float[] after = padded
				.encode(scope, scope.create(inputs.pixelValues(), new Shape(inputs.pixelValues().length / width, width)),
						inputs.imageGrids())
				.toFloatArray();
			assertThat(after).hasSize(before.length);
			for (int i = 0; i < before.length; i++) {
				assertThat(after[i]).as("feature %d", i).isCloseTo(before[i], within(1e-5f));
			}
		}
	}

	@Test
	void paddingAWidthThatIsAlreadyAMultipleChangesNothing() {
		try (QwenModel model = QwenModel.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32)) {
			var before = model.weights().get("visual.blocks.1.mlp.down_proj.weight");
			VisionTower.padIntermediate(model.config().vision(), model.weights(), VisionTower.INTERMEDIATE_MULTIPLE);
			assertThat(model.weights().get("visual.blocks.1.mlp.down_proj.weight")).isSameAs(before);
		}
	}

	@Test
	void rejectsAPaddingMultipleBelowOne() {
		try (QwenModel model = QwenModel.load(TinyCheckpoints.TINY_A, CheckpointLayoutsTest.CPU_FP32)) {
			assertThatThrownBy(() -> VisionTower.padIntermediate(model.config().vision(), model.weights(), 0))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("at least 1");
		}
	}

}
