package dev.sightline.vision.qwen3;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.conformance.Tolerance;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.ModelInputs;
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
 * Qwen3-VL under the runtime's dtype policies, as Qwen2.5-VL's MixedPrecisionTest: {@code auto-gpu} forced on the
 * CPU against float32 and naive float16 on a copy of the golden tiny-a whose last vision block's MLP (both
 * projections) and last decoder layer's gate and up projections are scaled so that their outputs pass float16's
 * 65504. The naive path must fail naming the layer; the mixed one (wide residual streams, row-scaled down
 * projections) must stay finite, close to float32 and pick the same greedy tokens.
 */
class Qwen3MixedPrecisionTest {

	static final float SCALE = 1000;

	static final int STEPS = 6;

	/** auto-gpu against float32: the conformance runner's auto-gpu floor (PolicyTolerance). */
	static final Tolerance AUTO_GPU = new Tolerance(0.05, 0.02);

	@TempDir
	static Path scaled;

	static Qwen3Model fp32;

	static Qwen3Model autoGpu;

	static int lastBlock;

	static int lastLayer;

	@BeforeAll
	static void writeScaledCheckpoint() throws Exception {
		Qwen3TinyCheckpoint.copySideFiles(scaled);
		var config = Qwen3TinyCheckpoint.config();
		lastBlock = config.get("vision_config").get("depth").asInt() - 1;
		lastLayer = config.get("text_config").get("num_hidden_layers").asInt() - 1;
		Set<String> scaledNames = Set.of("visual.blocks." + lastBlock + ".mlp.linear_fc1.weight",
				"visual.blocks." + lastBlock + ".mlp.linear_fc2.weight",
				"model.language_model.layers." + lastLayer + ".mlp.gate_proj.weight",
				"model.language_model.layers." + lastLayer + ".mlp.up_proj.weight");
		SafeTensorsWriter writer = new SafeTensorsWriter();
		int found = 0;
		try (SafeTensorsFile source = SafeTensorsFile.open(Qwen3TinyCheckpoint.TINY_A.resolve("model.safetensors"))) {
			for (String name : source.tensors().keySet()) {
				String canonical = name.replaceFirst("^model\\.visual\\.", "visual.");
				if (!scaledNames.contains(canonical)) {
					writer.copy(source, name, name);
					continue;
				}
				found++;
				float[] values = source.floats(name);
				for (int i = 0; i < values.length; i++) {
					values[i] *= SCALE;
				}
				writer.add(new SafeTensorsWriter.Tensor(name, dev.sightline.vision.weights.DType.F32,
						source.info(name).shape(), SafeTensorsWriter.f32(values)));
			}
		}
		assertThat(found).as("scaled tensors found in tiny-a").isEqualTo(scaledNames.size());
		writer.write(scaled.resolve("model.safetensors"));
		fp32 = load(ComputeType.FP32);
		autoGpu = load(ComputeType.AUTO_GPU);
	}

	@AfterAll
	static void close() {
		fp32.close();
		autoGpu.close();
	}

	static Qwen3Model load(ComputeType type) {
		return Qwen3Model.load(scaled, LoadOptions.DEFAULTS.withComputeType(type).withDevice(new DevicePolicy("cpu")));
	}

	@Test
	void autoGpuIsMixedHalfWithWideResidualStreamsAndSaysSo() {
		assertThat(autoGpu.dtypePolicy()).isEqualTo(DtypePolicy.AUTO_GPU);
		assertThat(autoGpu.runtime().dtypes()).isEqualTo(DtypePolicy.AUTO_GPU);
		assertThat(autoGpu.runtime().describe()).contains("auto-gpu (vision fp16/fp32, text fp16/fp32)");
		assertThat(autoGpu.vision().precision().mixed()).isTrue();
		assertThat(autoGpu.text().precision().mixed()).isTrue();
		assertThat(autoGpu.weightBytes()).isLessThan(fp32.weightBytes() * 6 / 10);
	}

	@Test
	void naiveHalfPrecisionOverflowsInTheVisionMlpAndSaysWhere() {
		try (Qwen3Model fp16 = load(ComputeType.FP16)) {
			assertThatThrownBy(() -> forward(fp16, Qwen3VlTest.caseInputs("lm_a_image")))
				.isInstanceOf(NonFiniteActivationException.class)
				.hasMessageContaining("vision block " + lastBlock + " (visual.blocks." + lastBlock + ")")
				.hasMessageContaining("fp16");
		}
	}

	@Test
	void naiveHalfPrecisionOverflowsInTheDecoderMlpAndSaysWhere() {
		try (Qwen3Model fp16 = load(ComputeType.FP16)) {
			assertThatThrownBy(() -> forward(fp16, Qwen3VlTest.caseInputs("lm_a_text")))
				.isInstanceOf(NonFiniteActivationException.class)
				.hasMessageContaining("text decoder layer " + lastLayer + " (model.layers." + lastLayer + ")");
		}
	}

	@Test
	void autoGpuKeepsImageAndTextPromptsFiniteAndCloseToFloat32() {
		for (String caseDir : List.of("lm_a_image", "lm_a_text")) {
			ModelInputs inputs = Qwen3VlTest.caseInputs(caseDir);
			float[] expected = forward(fp32, inputs);
			float[] actual = forward(autoGpu, inputs);
			for (float value : actual) {
				assertThat(value).as(caseDir).isFinite();
			}
			assertThat(AUTO_GPU.compare("logits", actual, expected)).as(caseDir).isEmpty();
		}
	}

	@Test
	void autoGpuPicksTheSameGreedyTokensAsFloat32() {
		for (String caseDir : List.of("lm_a_image", "lm_a_text")) {
			ModelInputs inputs = Qwen3VlTest.caseInputs(caseDir);
			assertThat(greedy(autoGpu, inputs)).as(caseDir).isEqualTo(greedy(fp32, inputs));
		}
	}

	static float[] forward(Qwen3Model model, ModelInputs inputs) {
		try (Qwen3Sequence sequence = model.newSequence(inputs.inputIds().length)) {
			return sequence.prefill(inputs, true);
		}
	}

	static List<Integer> greedy(Qwen3Model model, ModelInputs inputs) {
		try (Qwen3Sequence sequence = model.newSequence(inputs.inputIds().length + STEPS)) {
			Completion completion = GenerationLoop.run(sequence.prefill(inputs, false), inputs.inputIds(),
					sequence::step, new Sampler(SamplingSettings.GREEDY), Set.of(), STEPS, StepListener.NONE);
			return completion.tokenIds();
		}
	}

}
