package dev.sightline.vision.qwen.config;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.weights.CheckpointException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QwenConfigTest {

	static final Path TINY_A = Path.of("src/test/resources/golden/qwen2_5_vl/models/tiny-a");

	static ObjectNode tiny() throws Exception {
		return (ObjectNode) new ObjectMapper().readTree(TINY_A.resolve("config.json").toFile());
	}

	@Test
	void readsThePublishedFlatLayout() {
		QwenConfig config = QwenConfig.read(TINY_A.resolve("config.json"));
		assertThat(config.text().hiddenSize()).isEqualTo(64);
		assertThat(config.text().headDim()).isEqualTo(16);
		assertThat(config.text().groupSize()).isEqualTo(2);
		assertThat(config.text().mropeSection()).containsExactly(2, 3, 3);
		assertThat(config.text().ropeTheta()).isEqualTo(1e6);
		assertThat(config.vision().fullattBlockIndexes()).containsExactly(1, 3);
		assertThat(config.vision().mergedWindowSide()).isEqualTo(4);
		assertThat(config.vision().patchRowWidth()).isEqualTo(1176);
		assertThat(config.tokens()).isEqualTo(new SpecialTokenIds(1001, 1002, 1003, 1004));
		assertThat(config.tieWordEmbeddings()).isTrue();
	}

	@Test
	void rejectsMropeSectionThatDoesNotSumToHalfTheHeadDim() throws Exception {
		ObjectNode json = tiny();
		ArrayNode section = (ArrayNode) json.get("rope_scaling").get("mrope_section");
		section.set(0, 3);
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("mrope_section [3, 3, 3]")
			.hasMessageContaining("sum to head_dim/2 = 8");
	}

	@Test
	void rejectsWindowSizeThatIsNotAMultipleOfPatchTimesMerge() throws Exception {
		ObjectNode json = tiny();
		((ObjectNode) json.get("vision_config")).put("window_size", 100);
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("vision_config.window_size 100 must be a multiple of patch_size * spatial_merge_size = 28");
	}

	@Test
	void rejectsHeadsThatDoNotDivideTheHiddenSize() throws Exception {
		ObjectNode json = tiny();
		json.put("num_attention_heads", 5);
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("hidden_size 64 is not a multiple of num_attention_heads 5");
	}

	@Test
	void rejectsQueryHeadsThatAreNotAMultipleOfKeyValueHeads() throws Exception {
		ObjectNode json = tiny();
		json.put("num_key_value_heads", 3);
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("num_attention_heads 4 is not a multiple of num_key_value_heads 3");
	}

	@Test
	void namesAMissingKey() throws Exception {
		ObjectNode json = tiny();
		((ObjectNode) json.get("vision_config")).remove("depth");
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("vision_config.depth is missing");
	}

	@Test
	void rejectsAnActivationTheLayersAreNotWrittenFor() throws Exception {
		ObjectNode json = tiny();
		((ObjectNode) json.get("vision_config")).put("hidden_act", "gelu_pytorch_tanh");
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("vision_config.hidden_act 'gelu_pytorch_tanh' is not supported (only silu there");
		ObjectNode relu = tiny();
		relu.put("hidden_act", "relu");
		assertThatThrownBy(() -> QwenConfig.parse(relu)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("hidden_act 'relu' is not supported (only silu there; this runtime knows silu, "
					+ "gelu_pytorch_tanh)");
	}

	@Test
	void rejectsVisionOutputWidthOtherThanTheTextHiddenSize() throws Exception {
		ObjectNode json = tiny();
		((ObjectNode) json.get("vision_config")).put("out_hidden_size", 32);
		assertThatThrownBy(() -> QwenConfig.parse(json)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("out_hidden_size 32 must equal the text hidden_size 64");
	}

	@Test
	void generationConfigListsEveryEosId() {
		GenerationConfig config = GenerationConfig.read(TINY_A);
		assertThat(config.eosTokenIds()).containsExactly(1005, 1007);
		assertThat(config.doSample()).isFalse();
	}

}
