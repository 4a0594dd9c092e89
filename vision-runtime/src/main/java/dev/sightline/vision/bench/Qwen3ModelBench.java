package dev.sightline.vision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.qwen3.Qwen3Sequence;
import dev.sightline.vision.qwen3.Qwen3Tensors;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.config.Qwen3TextConfig;
import dev.sightline.vision.qwen3.config.Qwen3VisionConfig;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

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
		ComputeType dtype = ComputeType.parse(ModelBench.option(args, "--dtype", "auto"));
		DevicePolicy device = new DevicePolicy(ModelBench.option(args, "--device", "auto"));
		BenchReport report = new BenchReport("model qwen3-vl");
		Path dir = Files.createTempDirectory("sightline-bench-qwen3");
		try {
			Map<String, Object> configJson = config();
			Qwen3Config config = Qwen3Config.parse(new ObjectMapper().valueToTree(configJson));
			RandomCheckpoint.write(dir, configJson, Qwen3Tensors.expected(config), 42);
			long diskBytes = Files.size(dir.resolve("model.safetensors"));
			try (var in = Files.newInputStream(dir.resolve("model.safetensors"))) {
				in.transferTo(java.io.OutputStream.nullOutputStream());
			}
			try (NDManager warm = NDManager.newBaseManager(device.resolve(), "PyTorch")) {
				warm.ones(new Shape(1)).sum().getFloat();
			}
			long rssBefore = ProcessMemory.currentRssBytes();
			long start = System.nanoTime();
			try (Qwen3Model model = Qwen3Model.load(dir,
					LoadOptions.DEFAULTS.withComputeType(dtype).withDevice(device))) {
				double loadMs = (System.nanoTime() - start) / 1e6;
				long peakAfterLoad = ProcessMemory.peakRssBytes();
				String setup = model.runtime().device() + " " + model.dtypePolicy().name();
				// Settings first, as in ModelBench: what ran (device, dtype policy per part, natives).
				report.setting("device", model.runtime().device() + " (" + model.runtime().deviceName() + ")");
				report.setting("dtype_policy", model.dtypePolicy().describe());
				report.setting("runtime", model.runtime().describe());
				report.add("load", "weights_on_disk", diskBytes / 1e6, "MB");
				report.add("load", "weights_in_compute_dtype", model.weightBytes() / 1e6, "MB");
				report.add("load", "time", loadMs, "ms");
				report.add("load", "peak_rss_growth_vs_weights",
						(double) (peakAfterLoad - rssBefore) / model.weightBytes(), "ratio");
				measure(model, config, report, setup);
			}
			report.add("process", "peak_rss", ProcessMemory.peakRssBytes() / 1e6, "MB");
			return report;
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	private static void measure(Qwen3Model model, Qwen3Config config, BenchReport report, String setup) {
		double peak;
		try (NDManager manager = model.newRequestManager()) {
			peak = ModelBench.matmulPeakFlops(manager);
		}
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

		long[] ids = prompt(config, grid.tokens(v.spatialMergeSize()));
		ModelInputs inputs = new ModelInputs(ids, pixels, List.of(grid), null, null, null);
		List<Double> prefill = new ArrayList<>();
		List<Double> decode = new ArrayList<>();
		for (int run = 0; run < 3; run++) {
			try (Qwen3Sequence sequence = model.newSequence(ids.length + ModelBench.DECODE_STEPS + 1)) {
				long begin = System.nanoTime();
				sequence.prefill(inputs, false);
				prefill.add((System.nanoTime() - begin) / 1e6 - sequence.visionMs());
				long token = 100;
				double[] steps = new double[ModelBench.DECODE_STEPS];
				for (int i = 0; i < steps.length; i++) {
					long stepStart = System.nanoTime();
					float[] logits = sequence.step(token);
					steps[i] = (System.nanoTime() - stepStart) / 1e6;
					token = Sampler.argmax(logits);
				}
				if (run > 0) {
					decode.add(BenchReport.median(steps));
				}
			}
		}
		double prefillMs = BenchReport.median(prefill.subList(1, prefill.size()).stream().mapToDouble(d -> d).toArray());
		String prefillCase = "prefill " + ids.length + " tokens";
		report.add(prefillCase, "time", prefillMs, "ms");
		report.add(prefillCase, "of_matmul_peak", prefillFlops(config.text(), ids.length) / (prefillMs / 1e3) / peak,
				"ratio");
		double stepMs = BenchReport.median(decode.stream().mapToDouble(d -> d).toArray());
		double matmulMs = decodeMatmulMs(model, config.text());
		report.add("decode step", "time", stepMs, "ms");
		report.add("decode step", "own_matmuls", matmulMs, "ms");
		report.add("decode step", "vs_own_matmuls", stepMs / matmulMs, "ratio");
		report.add("decode step", "tokens_per_second", 1000 / stepMs, "tok/s");
	}

	/** The decode step's linears back to back on one token: q, k, v, o, gate, up, down per layer, then the head. */
	private static double decodeMatmulMs(Qwen3Model model, Qwen3TextConfig t) {
		long h = t.hiddenSize();
		long q = (long) t.numAttentionHeads() * t.headDim();
		long kv = (long) t.numKeyValueHeads() * t.headDim();
		List<long[]> shapes = new ArrayList<>();
		for (int layer = 0; layer < t.numHiddenLayers(); layer++) {
			shapes.addAll(List.of(new long[] { q, h }, new long[] { kv, h }, new long[] { kv, h }, new long[] { h, q },
					new long[] { t.intermediateSize(), h }, new long[] { t.intermediateSize(), h },
					new long[] { h, t.intermediateSize() }));
		}
		shapes.add(new long[] { t.vocabSize(), h });
		try (NDManager manager = model.newRequestManager()) {
			DataType type = model.computeType();
			List<NDArray> weights = shapes.stream()
				.map(s -> manager.randomUniform(-0.02f, 0.02f, new Shape(s), DataType.FLOAT32).toType(type, false))
				.toList();
			List<NDArray> inputs = shapes.stream()
				.map(s -> manager.randomUniform(-1, 1, new Shape(1, s[1]), DataType.FLOAT32).toType(type, false))
				.toList();
			double[] ms = BenchReport.timeMs(3, 15, () -> {
				try (NDManager step = manager.newSubManager()) {
					NDArray last = null;
					for (int i = 0; i < weights.size(); i++) {
						NDArray x = inputs.get(i);
						x.tempAttach(step);
						last = Linear.linear(x, weights.get(i), null).singletonOrThrow();
					}
					last.get("0, 0").toType(DataType.FLOAT32, false).getFloat();
				}
			});
			return BenchReport.median(ms);
		}
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

	/** 100 text tokens, the image run, 100 more: the agent's prompt shape. */
	static long[] prompt(Qwen3Config config, int imageTokens) {
		long[] ids = new long[ModelBench.TEXT_TOKENS + imageTokens + 2];
		int at = 0;
		for (int i = 0; i < ModelBench.TEXT_TOKENS / 2; i++) {
			ids[at++] = 1000 + i;
		}
		ids[at++] = config.tokens().visionStartTokenId();
		Arrays.fill(ids, at, at + imageTokens, config.tokens().imageTokenId());
		at += imageTokens;
		ids[at++] = config.tokens().visionEndTokenId();
		for (int i = 0; i < ModelBench.TEXT_TOKENS / 2; i++) {
			ids[at++] = 2000 + i;
		}
		return ids;
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
