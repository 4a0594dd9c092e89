package dev.sightline.vision.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.qwen3.Qwen3Tensors;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.config.Qwen3TextConfig;
import dev.sightline.vision.qwen3.config.Qwen3VisionConfig;

/**
 * {@code ./sightline bench model --family qwen3-vl [--json] [--dtype ...] [--device ...]}: {@link ModelBench}'s
 * measurements for Qwen3-VL — a random-weight checkpoint at the real 2B widths (QWEN3_VL spec §2.1) with 3 decoder
 * and 4 vision layers (three DeepStack levels, so every DeepStack merger and injection runs), written in bf16 and
 * loaded through the real loader. Reports load, vision encode of a 1280×720 screenshot, prefill of the image plus
 * 200 text tokens, 32 decode steps, each phase's FLOP/s against libtorch's fp32 matmul peak, and peak RSS. The
 * device, dtype policy and natives come first (settings of the report).
 */
final class Qwen3ModelBench {

	private Qwen3ModelBench() {
	}

	static BenchReport run(List<String> args) throws IOException {
		Map<String, Object> configJson = config();
		Qwen3Config config = Qwen3Config.parse(new ObjectMapper().valueToTree(configJson));
		return ModelBench.run(args, "model qwen3-vl", "sightline-bench-qwen3", configJson,
				Qwen3Tensors.expected(config), Qwen3Model::load,
				(model, report, setup) -> measure(model, config, report, setup));
	}

	private static void measure(Qwen3Model model, Qwen3Config config, BenchReport report, String setup) {
		double peak = ModelBench.matmulPeakFlops(model);
		report.add("matmul_peak " + setup, "fp32_2048", peak / 1e9, "GFLOP/s");
		Qwen3VisionConfig v = config.vision();
		int factor = v.patchSize() * v.spatialMergeSize();
		ImageSize screen = SmartResize.fit(new ImageSize(1280, 720), new PixelBudget(65_536, 16_777_216), factor);
		GridThw grid = new GridThw(1, screen.heightPx() / v.patchSize(), screen.widthPx() / v.patchSize());
		float[] pixels = new float[grid.patches() * v.patchRowWidth()];
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (float) (random.nextDouble() * 2 - 1);
		}
		String visionCase = "vision 1280x720 grid " + grid.h() + "x" + grid.w();
		double[] visionMs = BenchReport.timeMs(1, 3, () -> {
			try (NDManager request = model.newRequestManager()) {
				model.encodeVision(request, pixels, List.of(grid)).embeds().toType(DataType.FLOAT32, false).sum()
					.getFloat();
			}
		});
		double vision = BenchReport.median(visionMs);
		report.add(visionCase, "time", vision, "ms");
		report.add(visionCase, "of_matmul_peak", visionFlops(v, grid, config.text().hiddenSize()) / (vision / 1e3) / peak,
				"ratio");

		var tokens = config.tokens();
		long[] ids = ModelBench.prompt(tokens.visionStartTokenId(), tokens.imageTokenId(), tokens.visionEndTokenId(),
				grid.tokens(v.spatialMergeSize()));
		ModelInputs inputs = new ModelInputs(ids, pixels, List.of(grid), null, null, null);
		Qwen3TextConfig t = config.text();
		ModelBench.measureText(model, inputs, prefillFlops(t, ids.length), peak,
				() -> ModelBench.decodeMatmulMs(model, model.computeType(), t.numHiddenLayers(), t.hiddenSize(),
						(long) t.numAttentionHeads() * t.headDim(), (long) t.numKeyValueHeads() * t.headDim(),
						t.intermediateSize(), t.vocabSize()),
				report);
	}

	/** Patch embed, blocks (full attention over the frame), the final merger and every DeepStack merger. */
	static double visionFlops(Qwen3VisionConfig v, GridThw grid, int textHidden) {
		double n = grid.patches();
		double hv = v.hiddenSize();
		double flops = 2 * n * v.patchRowWidth() * hv;
		for (int block = 0; block < v.depth(); block++) {
			flops += 2 * n * hv * 3 * hv + 2 * n * hv * hv + 2 * 2 * n * hv * v.intermediateSize()
					+ 2 * 2 * n * n * hv;
		}
		double merged = n / v.mergeUnit();
		double width = hv * v.mergeUnit();
		double merger = 2 * merged * width * width + 2 * merged * width * textHidden;
		return flops + merger * (1 + v.deepstackVisualIndexes().length);
	}

	static double prefillFlops(Qwen3TextConfig t, int tokens) {
		double s = tokens;
		double h = t.hiddenSize();
		double q = (double) t.numAttentionHeads() * t.headDim();
		double kv = (double) t.numKeyValueHeads() * t.headDim();
		double perLayer = 2 * s * h * (q + 2 * kv) + 2 * s * q * h + 3 * 2 * s * h * t.intermediateSize()
				+ 2 * 2 * s * s * q;
		return t.numHiddenLayers() * perLayer + 2 * h * t.vocabSize();
	}

	/** Qwen3-VL-2B-Instruct's widths (spec §2.1) with 3 decoder and 4 vision layers. */
	static Map<String, Object> config() {
		Map<String, Object> vision = new LinkedHashMap<>();
		vision.put("depth", 4);
		vision.put("hidden_size", 1024);
		vision.put("intermediate_size", 4096);
		vision.put("num_heads", 16);
		vision.put("in_channels", 3);
		vision.put("out_hidden_size", 2048);
		vision.put("patch_size", 16);
		vision.put("spatial_merge_size", 2);
		vision.put("temporal_patch_size", 2);
		vision.put("num_position_embeddings", 2304);
		vision.put("deepstack_visual_indexes", List.of(1, 2, 3));
		vision.put("hidden_act", "gelu_pytorch_tanh");
		Map<String, Object> text = new LinkedHashMap<>();
		text.put("vocab_size", 151936);
		text.put("hidden_size", 2048);
		text.put("num_hidden_layers", 3);
		text.put("num_attention_heads", 16);
		text.put("num_key_value_heads", 8);
		text.put("head_dim", 128);
		text.put("intermediate_size", 6144);
		text.put("rms_norm_eps", 1e-6);
		text.put("rope_theta", 5_000_000.0);
		text.put("rope_scaling", Map.of("rope_type", "default", "mrope_interleaved", true, "mrope_section",
				List.of(24, 20, 20)));
		text.put("hidden_act", "silu");
		text.put("tie_word_embeddings", true);
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("architectures", List.of("Qwen3VLForConditionalGeneration"));
		config.put("model_type", "qwen3_vl");
		config.put("text_config", text);
		config.put("vision_config", vision);
		config.put("tie_word_embeddings", true);
		config.put("image_token_id", 151655);
		config.put("video_token_id", 151656);
		config.put("vision_start_token_id", 151652);
		config.put("vision_end_token_id", 151653);
		return config;
	}

}
