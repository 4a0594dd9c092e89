package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.conformance.Tolerance;
import dev.sightline.vision.qwen.generate.Completion;
import dev.sightline.vision.qwen.generate.GenerationLoop;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.qwen.generate.StepListener;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;
import dev.sightline.vision.weights.DtypePolicy;
import dev.sightline.vision.weights.NonFiniteActivationException;
import dev.sightline.vision.weights.SafeTensorsFile;
import dev.sightline.vision.weights.SafeTensorsWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The GPU dtype policy ({@code auto-gpu}), forced on the CPU, against float32 and naive float16 on a copy of tiny-a
 * whose last vision block's and last decoder layer's MLP gate and up projections are scaled so that their gated
 * product passes float16's 65504: the naive path must fail naming the layer, the mixed one must stay finite, close
 * to float32 and pick the same greedy tokens.
 */
class MixedPrecisionTest {

	/** Scale of the gate and up weights: their outputs stay within float16, their product does not. */
	static final float SCALE = 300;

	static final int STEPS = 6;

	/** auto-gpu against float32 (docs/vision-model.md "Precision"): the conformance runner's auto-gpu floor. */
	static final Tolerance AUTO_GPU = new Tolerance(0.05, 0.02);

	@TempDir
	static Path scaled;

	static QwenModel fp32;

	static QwenModel autoGpu;

	@BeforeAll
	static void writeScaledCheckpoint() throws Exception {
		writeScaled(scaled);
		fp32 = load(ComputeType.FP32);
		autoGpu = load(ComputeType.AUTO_GPU);
	}

	@AfterAll
	static void close() {
		fp32.close();
		autoGpu.close();
	}

	/** tiny-a with the last vision block's and last decoder layer's gate and up projections multiplied by SCALE. */
	static void writeScaled(Path target) throws Exception {
		TinyCheckpoints.copySideFiles(target);
		var config = TinyCheckpoints.config();
		int lastBlock = config.get("vision_config").get("depth").asInt() - 1;
		int lastLayer = config.get("num_hidden_layers").asInt() - 1;
		Set<String> scaledNames = Set.of("visual.blocks." + lastBlock + ".mlp.gate_proj.weight",
				"visual.blocks." + lastBlock + ".mlp.up_proj.weight",
				"model.layers." + lastLayer + ".mlp.gate_proj.weight",
				"model.layers." + lastLayer + ".mlp.up_proj.weight");
		SafeTensorsWriter writer = new SafeTensorsWriter();
		try (SafeTensorsFile source = SafeTensorsFile.open(TinyCheckpoints.TINY_A.resolve("model.safetensors"))) {
			for (String name : source.tensors().keySet()) {
				if (!scaledNames.contains(name)) {
					writer.copy(source, name, name);
					continue;
				}
				float[] values = source.floats(name);
				for (int i = 0; i < values.length; i++) {
					values[i] *= SCALE;
				}
				writer.add(new SafeTensorsWriter.Tensor(name, dev.sightline.vision.weights.DType.F32,
						source.info(name).shape(), SafeTensorsWriter.f32(values)));
			}
		}
		writer.write(target.resolve("model.safetensors"));
	}

	static QwenModel load(ComputeType type) {
		return QwenModel.load(scaled,
				LoadOptions.DEFAULTS.withComputeType(type).withDevice(new DevicePolicy("cpu")));
	}

	@Test
	void autoGpuIsMixedHalfWithWideResidualStreams() {
		assertThat(autoGpu.dtypePolicy()).isEqualTo(DtypePolicy.AUTO_GPU);
		assertThat(autoGpu.dtypePolicy().describe()).isEqualTo("auto-gpu (vision fp16/fp32, text fp16/fp32)");
		assertThat(autoGpu.weightBytes()).isLessThan(fp32.weightBytes() * 6 / 10);
	}

	@Test
	void naiveHalfPrecisionOverflowsInTheVisionMlpAndSaysWhere() {
		try (QwenModel fp16 = load(ComputeType.FP16)) {
			assertThatThrownBy(() -> TinyCheckpoints.forward(fp16, TinyCheckpoints.inputs("lm_a_image")))
				.isInstanceOf(NonFiniteActivationException.class)
				.hasMessageContaining("vision block 3 (visual.blocks.3)")
				.hasMessageContaining("fp16");
		}
	}

	@Test
	void naiveHalfPrecisionOverflowsInTheDecoderMlpAndSaysWhere() {
		try (QwenModel fp16 = load(ComputeType.FP16)) {
			assertThatThrownBy(() -> TinyCheckpoints.forward(fp16, TinyCheckpoints.inputs("lm_a_text")))
				.isInstanceOf(NonFiniteActivationException.class)
				.hasMessageContaining("text decoder layer 1 (model.layers.1)");
		}
	}

	@Test
	void autoGpuKeepsAnImagePromptFiniteAndCloseToFloat32() {
		ModelInputs inputs = TinyCheckpoints.inputs("lm_a_image");
		float[] expected = TinyCheckpoints.forward(fp32, inputs);
		float[] actual = TinyCheckpoints.forward(autoGpu, inputs);
		for (float value : actual) {
			assertThat(value).isFinite();
		}
		assertThat(AUTO_GPU.compare("logits", actual, expected)).isEmpty();
	}

	@Test
	void autoGpuPicksTheSameGreedyTokensAsFloat32() {
		for (String caseDir : List.of("lm_a_image", "lm_a_text")) {
			ModelInputs inputs = TinyCheckpoints.inputs(caseDir);
			assertThat(greedy(autoGpu, inputs)).as(caseDir).isEqualTo(greedy(fp32, inputs));
		}
	}

	static List<Integer> greedy(QwenModel model, ModelInputs inputs) {
		try (QwenSequence sequence = model.newSequence(inputs.inputIds().length + STEPS)) {
			Completion completion = GenerationLoop.run(sequence.prefill(inputs, false), inputs.inputIds(),
					sequence::step, new Sampler(SamplingSettings.GREEDY), Set.of(), STEPS, StepListener.NONE);
			return completion.tokenIds();
		}
	}

}
