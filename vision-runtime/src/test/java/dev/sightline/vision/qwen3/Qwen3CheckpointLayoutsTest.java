package dev.sightline.vision.qwen3;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.weights.CheckpointException;
import dev.sightline.vision.weights.DType;
import dev.sightline.vision.weights.SafeTensorsFile;
import dev.sightline.vision.weights.SafeTensorsWriter;
import dev.sightline.vision.weights.TensorNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same Qwen3-VL weights in every checkpoint shape (QWEN3_VL spec §3): published {@code model.language_model.*}
 * keys or the flat {@code model.*}/{@code visual.*} ones, one file or shards with an index, tied or untied head.
 */
class Qwen3CheckpointLayoutsTest {

	static Qwen3Model original;

	static float[] imageLogits;

	@BeforeAll
	static void loadOriginal() {
		original = Qwen3Model.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
		imageLogits = forward(original, Qwen3VlTest.caseInputs("lm_a_image"));
	}

	@AfterAll
	static void close() {
		original.close();
	}

	static float[] forward(Qwen3Model model, ModelInputs inputs) {
		try (Qwen3Sequence sequence = model.newSequence(inputs.inputIds().length)) {
			return sequence.prefill(inputs, true);
		}
	}

	@Test
	void flatKeyLayoutInThreeShardsGivesTheSameLogits(@TempDir Path dir) throws Exception {
		Qwen3TinyCheckpoint.copySideFiles(dir);
		Qwen3TinyCheckpoint.writeWeights(dir, 3, TensorNames::canonical, List.of());
		try (Qwen3Model model = Qwen3Model.load(dir, Qwen3TinyCheckpoint.CPU_FP32)) {
			assertThat(forward(model, Qwen3VlTest.caseInputs("lm_a_image"))).containsExactly(imageLogits);
		}
	}

	@Test
	void untiedShardedHeadIsReadFromLmHeadWeight(@TempDir Path dir) throws Exception {
		Qwen3TinyCheckpoint.copySideFiles(dir);
		ObjectNode config = Qwen3TinyCheckpoint.config();
		config.put("tie_word_embeddings", false);
		((ObjectNode) config.get("text_config")).put("tie_word_embeddings", false);
		Qwen3TinyCheckpoint.writeConfig(dir, config);
		float[] doubled;
		long[] shape;
		try (SafeTensorsFile source = SafeTensorsFile
			.open(Qwen3TinyCheckpoint.TINY_A.resolve("model.safetensors"))) {
			doubled = source.floats("model.language_model.embed_tokens.weight");
			shape = source.info("model.language_model.embed_tokens.weight").shape();
		}
		for (int i = 0; i < doubled.length; i++) {
			doubled[i] *= 2; // exact in float: the head's logits must come out exactly doubled
		}
		Qwen3TinyCheckpoint.writeWeights(dir, 2, name -> name, List.of(
				new SafeTensorsWriter.Tensor("lm_head.weight", DType.F32, shape, SafeTensorsWriter.f32(doubled))));
		try (Qwen3Model model = Qwen3Model.load(dir, Qwen3TinyCheckpoint.CPU_FP32)) {
			float[] logits = forward(model, Qwen3VlTest.caseInputs("lm_a_image"));
			float[] expected = imageLogits.clone();
			for (int i = 0; i < expected.length; i++) {
				expected[i] *= 2;
			}
			assertThat(logits).containsExactly(expected);
		}
	}

	@Test
	void aMissingDeepstackMergerIsNamedBeforeAnythingLoads(@TempDir Path dir) throws Exception {
		Qwen3TinyCheckpoint.copySideFiles(dir);
		ObjectNode config = Qwen3TinyCheckpoint.config();
		// Three DeepStack levels where the checkpoint has two mergers.
		((ObjectNode) config.get("vision_config")).putArray("deepstack_visual_indexes").add(1).add(2).add(3);
		Qwen3TinyCheckpoint.writeConfig(dir, config);
		Qwen3TinyCheckpoint.writeWeights(dir, 1, name -> name, List.of());
		assertThatThrownBy(() -> Qwen3Model.load(dir, Qwen3TinyCheckpoint.CPU_FP32))
			.isInstanceOf(CheckpointException.class)
			.hasMessageContaining("missing tensors")
			.hasMessageContaining("visual.deepstack_merger_list.2.norm.weight");
	}

}
