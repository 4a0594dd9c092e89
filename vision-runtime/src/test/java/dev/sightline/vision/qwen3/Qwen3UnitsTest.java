package dev.sightline.vision.qwen3;

import java.util.OptionalInt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.prompt.FrameSampling;
import dev.sightline.vision.qwen3.prompt.VideoTimestamps;
import dev.sightline.vision.weights.CheckpointException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec's worked examples for the pieces Qwen3-VL changes (QWEN3_VL spec §2, §5, §7.2). */
class Qwen3UnitsTest {

	@Test
	void interleavedMropeGivesHeightAndWidthEveryThirdSlotAndTheTailToTime() throws Exception {
		ObjectNode config = Qwen3TinyCheckpoint.config();
		ObjectNode text = (ObjectNode) config.get("text_config");
		text.put("head_dim", 128);
		text.putObject("rope_scaling").put("mrope_interleaved", true).putArray("mrope_section").add(24).add(20).add(20);
		int[] axes = Qwen3Config.parse(config).text().mrope().axes();
		for (int j = 0; j < 64; j++) {
			int expected = j >= 60 ? 0 : j % 3; // T H W T H W ... then slots 60-63 are T
			assertThat(axes[j]).as("slot %d", j).isEqualTo(expected);
		}
	}

	@Test
	void headDimIsReadNotDerived() throws Exception {
		Qwen3Config config = Qwen3Config.parse(Qwen3TinyCheckpoint.config());
		assertThat(config.text().headDim()).isEqualTo(32);
		assertThat(config.text().hiddenSize() / config.text().numAttentionHeads()).isEqualTo(16);
	}

	@Test
	void timestampsRoundTheExactBinaryValueHalfToEven() {
		assertThat(VideoTimestamps.text(0.25)).isEqualTo("<0.2 seconds>");
		assertThat(VideoTimestamps.text(2.25)).isEqualTo("<2.2 seconds>");
		assertThat(VideoTimestamps.text(0.75)).isEqualTo("<0.8 seconds>");
		assertThat(VideoTimestamps.text(0.35)).isEqualTo("<0.3 seconds>"); // 0.34999... in binary
		assertThat(VideoTimestamps.perTemporalPatch(new double[] { 0, 0.5, 1, 1.75, 2.25 }, 2))
			.containsExactly(0.25, 1.375, 2.25);
	}

	@Test
	void frameSamplingRoundsLinspaceTiesToEven() {
		// Spec §5.1: total 10 at 4 fps sampled at 2 fps → 5 frames, linspace 0, 2.25, 4.5, 6.75, 9 → 0, 2, 4, 7, 9.
		assertThat(FrameSampling.DEFAULTS.indices(10, 4, OptionalInt.empty())).containsExactly(0, 2, 4, 7, 9);
	}

	@Test
	void familyComesFromModelTypeAndAnUnknownOneIsNamed() throws Exception {
		assertThat(ModelFamily.detect(Qwen3TinyCheckpoint.TINY_A)).isEqualTo(ModelFamily.QWEN3_VL);
		assertThat(ModelFamily.fromName("qwen3-vl")).isEqualTo(ModelFamily.QWEN3_VL);
		assertThat(ModelFamily.fromName("qwen2_5_vl")).isEqualTo(ModelFamily.QWEN2_5_VL);
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("family");
		java.nio.file.Files.writeString(dir.resolve("config.json"),
				"{\"model_type\": \"llava\", \"architectures\": [\"LlavaForConditionalGeneration\"]}");
		assertThatThrownBy(() -> ModelFamily.detect(dir)).isInstanceOf(CheckpointException.class)
			.hasMessageContaining("model_type 'llava'")
			.hasMessageContaining("qwen3_vl");
	}

}
