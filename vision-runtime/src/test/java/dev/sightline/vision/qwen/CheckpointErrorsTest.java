package dev.sightline.vision.qwen;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.weights.CheckpointException;
import dev.sightline.vision.weights.DType;
import dev.sightline.vision.weights.SafeTensorsWriter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken checkpoints fail at load with a message that lists what is wrong, before any compute. */
class CheckpointErrorsTest {

	@Test
	void missingTensorIsNamed(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 1, name -> name.equals("model.layers.1.mlp.up_proj.weight") ? "dropped" : name,
				List.of());
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("missing tensors (1): model.layers.1.mlp.up_proj.weight")
			.hasMessageContaining("unexpected tensors (1): dropped");
	}

	@Test
	void extraTensorIsNamed(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 2, name -> name, List.of(new SafeTensorsWriter.Tensor(
				"model.layers.2.input_layernorm.weight", DType.F32, new long[] { 64 }, new byte[256])));
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("unexpected tensors (1): model.layers.2.input_layernorm.weight");
	}

	@Test
	void wrongShapeIsNamedWithBothShapes(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 1, name -> name.equals("model.norm.weight") ? "unused" : name,
				List.of(new SafeTensorsWriter.Tensor("model.norm.weight", DType.F32, new long[] { 32 }, new byte[128])));
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("wrong shapes (1): model.norm.weight is [32], config needs [64]");
	}

	@Test
	void truncatedShardIsReported(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 2, name -> name, List.of());
		Path shard = dir.resolve(TinyCheckpoints.shardName(1, 2));
		try (RandomAccessFile file = new RandomAccessFile(shard.toFile(), "rw")) {
			file.setLength(file.length() - 100);
		}
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("is truncated");
	}

	@Test
	void missingShardNamedByTheIndexIsReported(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 2, name -> name, List.of());
		Files.delete(dir.resolve(TinyCheckpoints.shardName(0, 2)));
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("missing shard files")
			.hasMessageContaining(TinyCheckpoints.shardName(0, 2));
	}

	@Test
	void configThatDoesNotMatchTheWeightsListsEveryMismatch(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		ObjectNode config = TinyCheckpoints.config();
		config.put("intermediate_size", 256);
		config.put("num_hidden_layers", 3);
		TinyCheckpoints.writeConfig(dir, config);
		TinyCheckpoints.writeWeights(dir, 1, name -> name, List.of());
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("missing tensors (12): model.layers.2.")
			.hasMessageContaining("model.layers.0.mlp.gate_proj.weight is [128, 64], config needs [256, 64]");
	}

	@Test
	void untiedConfigWithoutLmHeadIsReported(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		ObjectNode config = TinyCheckpoints.config();
		config.put("tie_word_embeddings", false);
		TinyCheckpoints.writeConfig(dir, config);
		TinyCheckpoints.writeWeights(dir, 1, name -> name, List.of());
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("missing tensors (1): lm_head.weight");
	}

	@Test
	void directoryWithoutWeightsIsReported(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		assertThatThrownBy(() -> QwenModel.load(dir, CheckpointLayoutsTest.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("has no model.safetensors");
	}

}
