package dev.sightline.vision.weights;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loaders' one reader: a tensor of another shape than the config implies is refused by name and both shapes. */
class TensorReaderTest {

	@Test
	void readsATensorOfTheImpliedShapeAndRefusesAnotherNamingBoth() {
		NDManager manager = NDManager.newBaseManager("PyTorch");
		try (Weights weights = new Weights(manager,
				Map.of("model.norm.weight", manager.zeros(new Shape(8)), "model.layers.0.mlp.up_proj.weight",
						manager.zeros(new Shape(16, 8))))) {
			TensorReader reader = TensorReader.of(weights);
			assertThat(reader.take("model.norm.weight", 8).getShape()).isEqualTo(new Shape(8));
			assertThatThrownBy(() -> reader.take("model.layers.0.mlp.up_proj.weight", 24, 8))
				.isInstanceOf(CheckpointException.class)
				.hasMessage("tensor model.layers.0.mlp.up_proj.weight has shape [16, 8] but the config implies [24, 8]");
			assertThatThrownBy(() -> reader.take("lm_head.weight", 4, 8)).isInstanceOf(CheckpointException.class)
				.hasMessageContaining("lm_head.weight not found");
		}
	}

	@Test
	void recordingListsEveryNameWithItsShapeInReadingOrder() {
		Map<String, long[]> layout = new LinkedHashMap<>();
		TensorReader reader = TensorReader.recording(layout);
		assertThat(reader.take("b", 2, 3)).isNull();
		assertThat(reader.take("a", 4)).isNull();
		assertThat(layout.keySet()).containsExactly("b", "a");
		assertThat(layout.get("b")).containsExactly(2, 3);
	}

}
