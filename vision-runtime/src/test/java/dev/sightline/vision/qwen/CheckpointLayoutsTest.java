package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DType;
import dev.sightline.vision.weights.DTypes;
import dev.sightline.vision.weights.DevicePolicy;
import dev.sightline.vision.weights.SafeTensorsFile;
import dev.sightline.vision.weights.SafeTensorsWriter;
import dev.sightline.vision.weights.TensorNames;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same weights in every checkpoint shape the Hub and transformers produce (spec §3): new key layout, shards with
 * an index, nested {@code text_config}, untied head. Each copy of tiny-a must give the original's logits.
 */
class CheckpointLayoutsTest {

	static final LoadOptions CPU_FP32 = LoadOptions.DEFAULTS.withComputeType(ComputeType.FP32)
		.withDevice(new DevicePolicy("cpu"));

	static QwenModel original;

	static float[] textLogits;

	static float[] imageLogits;

	@BeforeAll
	static void loadOriginal() {
		original = QwenModel.load(TinyCheckpoints.TINY_A, CPU_FP32);
		textLogits = TinyCheckpoints.forward(original, TinyCheckpoints.inputs("lm_a_text"));
		imageLogits = TinyCheckpoints.forward(original, TinyCheckpoints.inputs("lm_a_image_multiwin"));
	}

	@AfterAll
	static void close() {
		original.close();
	}

	@Test
	void newKeyLayoutInThreeShardsGivesTheSameLogits(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		TinyCheckpoints.writeWeights(dir, 3, TensorNames::newLayout, List.of());
		try (QwenModel model = QwenModel.load(dir, CPU_FP32)) {
			assertThat(TinyCheckpoints.forward(model, TinyCheckpoints.inputs("lm_a_text"))).containsExactly(textLogits);
			assertThat(TinyCheckpoints.forward(model, TinyCheckpoints.inputs("lm_a_image_multiwin")))
				.containsExactly(imageLogits);
		}
	}

	@Test
	void nestedTextConfigWithRopeParametersGivesTheSameLogits(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		ObjectNode flat = TinyCheckpoints.config();
		ObjectNode nested = TinyCheckpoints.JSON.createObjectNode();
		ObjectNode text = nested.putObject("text_config");
		for (String key : List.of("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
				"num_key_value_heads", "intermediate_size", "rms_norm_eps", "hidden_act", "tie_word_embeddings")) {
			text.set(key, flat.get(key));
		}
		ObjectNode rope = text.putObject("rope_parameters");
		rope.put("rope_type", "default");
		rope.put("rope_theta", flat.get("rope_theta").asDouble());
		rope.set("mrope_section", flat.get("rope_scaling").get("mrope_section"));
		nested.set("vision_config", flat.get("vision_config"));
		for (String key : List.of("image_token_id", "video_token_id", "vision_start_token_id", "vision_end_token_id")) {
			nested.set(key, flat.get(key));
		}
		TinyCheckpoints.writeConfig(dir, nested);
		TinyCheckpoints.writeWeights(dir, 1, TensorNames::newLayout, List.of());
		try (QwenModel model = QwenModel.load(dir, CPU_FP32)) {
			assertThat(model.config()).usingRecursiveComparison().isEqualTo(original.config());
			assertThat(TinyCheckpoints.forward(model, TinyCheckpoints.inputs("lm_a_image_multiwin")))
				.containsExactly(imageLogits);
		}
	}

	@Test
	void untiedHeadIsReadFromLmHeadWeight(@TempDir Path dir) throws Exception {
		TinyCheckpoints.copySideFiles(dir);
		ObjectNode config = TinyCheckpoints.config();
		config.put("tie_word_embeddings", false);
		TinyCheckpoints.writeConfig(dir, config);
		float[] doubled;
		long[] shape;
		try (SafeTensorsFile source = SafeTensorsFile.open(TinyCheckpoints.TINY_A.resolve("model.safetensors"))) {
			doubled = source.floats("model.embed_tokens.weight");
			shape = source.info("model.embed_tokens.weight").shape();
		}
		for (int i = 0; i < doubled.length; i++) {
			doubled[i] *= 2; // exact in float: the head's logits must come out exactly doubled
		}
		TinyCheckpoints.writeWeights(dir, 2, name -> name,
				List.of(new SafeTensorsWriter.Tensor("lm_head.weight", DType.F32, shape, SafeTensorsWriter.f32(doubled))));
		try (QwenModel model = QwenModel.load(dir, CPU_FP32)) {
			float[] logits = TinyCheckpoints.forward(model, TinyCheckpoints.inputs("lm_a_text"));
			float[] expected = textLogits.clone();
			for (int i = 0; i < expected.length; i++) {
				expected[i] *= 2;
			}
			assertThat(logits).containsExactly(expected);
		}
	}

	@Test
	void bf16IsWidenedByTakingTheTopHalfOfAFloat() {
		assertThat(DTypes.bf16ToFloat((short) 0x3F80)).isEqualTo(1.0f);
		assertThat(DTypes.bf16ToFloat((short) 0xC040)).isEqualTo(-3.0f);
	}

}
