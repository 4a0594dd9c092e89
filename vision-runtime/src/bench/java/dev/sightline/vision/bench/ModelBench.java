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
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
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
import dev.sightline.vision.qwen.LoadedModel;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.PromptSequence;
import dev.sightline.vision.qwen.QwenModel;
import dev.sightline.vision.qwen.QwenTensors;
import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.vision.qwen.config.TextConfig;
import dev.sightline.vision.qwen.config.VisionConfig;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.vision.WindowPartition;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * {@code ./sightline bench model [--json] [--dtype auto|fp32|fp16|auto-gpu] [--device auto|cpu|gpu:N]}: a random-weight
 * Qwen2.5-VL with the real 3B widths but 2 decoder and 4 vision layers (one full-attention), written as a bf16
 * checkpoint and loaded through the real loader. Times loading, vision encode of a 1280×720 screenshot, prefill of
 * that image plus 200 text tokens and 32 decode steps, and libtorch's own fp32 matmul peak on this machine, then
 * reports each phase's FLOP/s as a fraction of that peak, the decode step against the sum of its own matmuls, and
 * peak RSS. The device, dtype policy and natives come first (settings of the report).
 */
final class ModelBench {

	static final int TEXT_TOKENS = 200;

	static final int DECODE_STEPS = 32;

	private ModelBench() {
	}

	static BenchReport run(List<String> args) throws IOException {
		Map<String, Object> configJson = config();
		QwenConfig config = parseConfig(configJson);
		return run(args, "model", "sightline-bench-model", configJson, QwenTensors.expected(config), QwenModel::load,
				(model, report, setup) -> measure(model, config, report, setup));
	}

	/** What a family's bench measures once its random checkpoint is loaded and the load is reported. */
	interface Measure<M extends LoadedModel> {

		void measure(M model, BenchReport report, String setup);

	}

	/**
	 * The flow every family's model bench shares: writes {@code configJson}'s random checkpoint, loads it through
	 * the family's real loader, reports the settings and the load, then the family's own measurements and peak RSS.
	 */
	static <M extends LoadedModel> BenchReport run(List<String> args, String reportName, String directoryPrefix,
			Map<String, Object> configJson, Map<String, long[]> shapes, BiFunction<Path, LoadOptions, M> load,
			Measure<M> measure) throws IOException {
		ComputeType dtype = ComputeType.parse(option(args, "--dtype", "auto"));
		DevicePolicy device = new DevicePolicy(option(args, "--device", "auto"));
		BenchReport report = new BenchReport(reportName);
		Path dir = Files.createTempDirectory(directoryPrefix);
		try {
			RandomCheckpoint.write(dir, configJson, shapes, 42);
			long diskBytes = Files.size(dir.resolve("model.safetensors"));
			// Read once so the timed load comes from the page cache, as the goal states.
			try (var in = Files.newInputStream(dir.resolve("model.safetensors"))) {
				in.transferTo(java.io.OutputStream.nullOutputStream());
			}
			// Start libtorch first: its one-off native start-up is not part of loading a checkpoint.
			try (NDManager warm = NDManager.newBaseManager(device.resolve(), "PyTorch")) {
				warm.ones(new Shape(1)).sum().getFloat();
			}
			long rssBefore = ProcessMemory.currentRssBytes();
			long start = System.nanoTime();
			try (M model = load.apply(dir, LoadOptions.DEFAULTS.withComputeType(dtype).withDevice(device))) {
				double loadMs = (System.nanoTime() - start) / 1e6;
				long peakAfterLoad = ProcessMemory.peakRssBytes();
				String setup = model.runtime().device() + " " + model.dtypePolicy().name();
				report.setting("device", model.runtime().device() + " (" + model.runtime().deviceName() + ")");
				report.setting("dtype_policy", model.dtypePolicy().describe());
				report.setting("runtime", model.runtime().describe());
				report.add("load", "weights_on_disk", diskBytes / 1e6, "MB");
				report.add("load", "weights_in_compute_dtype", model.weightBytes() / 1e6, "MB");
				report.add("load", "time", loadMs, "ms");
				report.add("load", "speed", diskBytes / 1e6 / loadMs, "GB/s");
				report.add("load", "peak_rss_growth_vs_weights",
						(double) (peakAfterLoad - rssBefore) / model.weightBytes(), "ratio");
				measure.measure(model, report, setup);
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

	private static void measure(QwenModel model, QwenConfig config, BenchReport report, String setup) {
		double peak = matmulPeakFlops(model);
		report.add("matmul_peak " + setup, "fp32_2048", peak / 1e9, "GFLOP/s");

		ImageSize screen = SmartResize.fit(new ImageSize(1280, 720), PixelBudget.PUBLISHED);
		GridThw grid = new GridThw(1, screen.heightPx() / 14, screen.widthPx() / 14);
		float[] pixels = new float[grid.patches() * config.vision().patchRowWidth()];
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (float) (random.nextDouble() * 4 - 2);
		}
		double visionFlops = visionFlops(config.vision(), grid, config.text().hiddenSize());
		double[] visionMs = BenchReport.timeMs(1, 3, () -> {
			try (NDManager request = model.newRequestManager()) {
				model.encodeVision(request, pixels, List.of(grid)).toType(DataType.FLOAT32, false).sum().getFloat();
			}
		});
		double vision = BenchReport.median(visionMs);
		report.add("vision 1280x720 grid " + grid.h() + "x" + grid.w(), "time", vision, "ms");
		report.add("vision 1280x720 grid " + grid.h() + "x" + grid.w(), "of_matmul_peak",
				visionFlops / (vision / 1e3) / peak, "ratio");

		var tokens = config.tokens();
		long[] ids = prompt(tokens.visionStartTokenId(), tokens.imageTokenId(), tokens.visionEndTokenId(),
				grid.tokens(config.vision().spatialMergeSize()));
		ModelInputs inputs = new ModelInputs(ids, pixels, List.of(grid), null, null, null);
		TextConfig t = config.text();
		measureText(model, inputs, prefillFlops(t, ids.length), peak, () -> decodeMatmulMs(model, model.computeType(),
				t.numHiddenLayers(), t.hiddenSize(), (long) t.numAttentionHeads() * t.headDim(),
				(long) t.numKeyValueHeads() * t.headDim(), t.intermediateSize(), t.vocabSize()), report);
	}

	/**
	 * Prefill of {@code inputs} (3 runs, the first one dropped, vision time excluded) and {@link #DECODE_STEPS}
	 * greedy decode steps after each (median step of the last two runs), against the matmul peak and the decode
	 * step's own matmuls; the same for every family.
	 */
	static void measureText(LoadedModel model, ModelInputs inputs, double prefillFlops, double peak,
			DoubleSupplier decodeMatmulMs, BenchReport report) {
		long[] ids = inputs.inputIds();
		List<Double> prefill = new ArrayList<>();
		List<Double> decode = new ArrayList<>();
		for (int run = 0; run < 3; run++) {
			try (PromptSequence<?, ?> sequence = model.newSequence(ids.length + DECODE_STEPS + 1)) {
				long start = System.nanoTime();
				sequence.prefill(inputs, false);
				prefill.add((System.nanoTime() - start) / 1e6 - sequence.visionMs());
				long token = 100;
				double[] steps = new double[DECODE_STEPS];
				for (int i = 0; i < DECODE_STEPS; i++) {
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
		report.add(prefillCase, "of_matmul_peak", prefillFlops / (prefillMs / 1e3) / peak, "ratio");
		double stepMs = BenchReport.median(decode.stream().mapToDouble(d -> d).toArray());
		double matmulMs = decodeMatmulMs.getAsDouble();
		report.add("decode step", "time", stepMs, "ms");
		report.add("decode step", "own_matmuls", matmulMs, "ms");
		report.add("decode step", "vs_own_matmuls", stepMs / matmulMs, "ratio");
		report.add("decode step", "tokens_per_second", 1000 / stepMs, "tok/s");
	}

	/** libtorch's fp32 GEMM rate on 2048² operands (the decoder's square shape), median of 5 after warm-up. */
	static double matmulPeakFlops(LoadedModel model) {
		try (NDManager manager = model.newRequestManager()) {
			return matmulPeakFlops(manager);
		}
	}

	/** As {@link #matmulPeakFlops(LoadedModel)}, on the device of {@code manager}. */
	private static double matmulPeakFlops(NDManager manager) {
		int n = 2048;
		{
			NDArray a = manager.randomUniform(-1, 1, new Shape(n, n), DataType.FLOAT32);
			NDArray b = manager.randomUniform(-1, 1, new Shape(n, n), DataType.FLOAT32);
			double[] ms = BenchReport.timeMs(2, 5, () -> {
				try (NDArray c = a.matMul(b); NDArray s = c.get("0, 0")) {
					s.getFloat(); // forces completion on a GPU
				}
			});
			return 2.0 * n * n * n / (BenchReport.median(ms) / 1e3);
		}
	}

	/**
	 * The decode step's linears run back to back on a one-token input: q, k, v, o, gate, up, down per layer, head.
	 * @param q query width (heads × head dim)
	 * @param kv key and value width
	 */
	static double decodeMatmulMs(LoadedModel model, DataType type, int layers, long h, long q, long kv,
			long intermediate, long vocab) {
		try (NDManager manager = model.newRequestManager()) {
			List<long[]> shapes = new ArrayList<>();
			for (int layer = 0; layer < layers; layer++) {
				shapes.addAll(List.of(new long[] { q, h }, new long[] { kv, h }, new long[] { kv, h }, new long[] { h, q },
						new long[] { intermediate, h }, new long[] { intermediate, h }, new long[] { h, intermediate }));
			}
			shapes.add(new long[] { vocab, h });
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

	static double visionFlops(VisionConfig v, GridThw grid, int textHidden) {
		double n = grid.patches();
		double hv = v.hiddenSize();
		WindowPartition partition = WindowPartition.of(List.of(grid), v.spatialMergeSize(), v.mergedWindowSide());
		double windowKeys = (double) partition.windows() * partition.maxWindowLength(); // padded slots per query row
		double flops = 2 * n * v.patchRowWidth() * hv;
		for (int block = 0; block < v.depth(); block++) {
			flops += 2 * n * hv * 3 * hv + 2 * n * hv * hv + 3 * 2 * n * hv * v.intermediateSize();
			double keysPerQuery = v.isFullAttention(block) ? grid.h() * grid.w()
					: windowKeys * partition.maxWindowLength() / n;
			flops += 2 * 2 * n * keysPerQuery * hv;
		}
		double merged = n / v.mergeUnit();
		double width = hv * v.mergeUnit();
		return flops + 2 * merged * width * width + 2 * merged * width * textHidden;
	}

	static double prefillFlops(TextConfig t, int tokens) {
		double s = tokens;
		double h = t.hiddenSize();
		double kv = (double) t.numKeyValueHeads() * t.headDim();
		double perLayer = 2 * s * h * (h + 2 * kv) + 2 * s * h * h + 3 * 2 * s * h * t.intermediateSize()
				+ 2 * 2 * s * s * h;
		return t.numHiddenLayers() * perLayer + 2 * h * t.vocabSize();
	}

	/** 100 text tokens, the image, 100 more: the agent's prompt shape (both families' token ids are the same kind). */
	static long[] prompt(int visionStartTokenId, int imageTokenId, int visionEndTokenId, int imageTokens) {
		long[] ids = new long[TEXT_TOKENS + imageTokens + 2];
		int at = 0;
		for (int i = 0; i < TEXT_TOKENS / 2; i++) {
			ids[at++] = 1000 + i;
		}
		ids[at++] = visionStartTokenId;
		Arrays.fill(ids, at, at + imageTokens, imageTokenId);
		at += imageTokens;
		ids[at++] = visionEndTokenId;
		for (int i = 0; i < TEXT_TOKENS / 2; i++) {
			ids[at++] = 2000 + i;
		}
		return ids;
	}

	/** {@link #config()} read as the runtime reads config.json (vision-runtime's JSON types stay in this module). */
	static QwenConfig parseConfig(Map<String, Object> configJson) {
		return QwenConfig.parse(new ObjectMapper().valueToTree(configJson));
	}

	static Map<String, Object> config() {
		Map<String, Object> vision = new LinkedHashMap<>();
		vision.put("depth", 4);
		vision.put("hidden_size", 1280);
		vision.put("intermediate_size", 3420);
		vision.put("num_heads", 16);
		vision.put("in_chans", 3);
		vision.put("out_hidden_size", 2048);
		vision.put("patch_size", 14);
		vision.put("spatial_merge_size", 2);
		vision.put("temporal_patch_size", 2);
		vision.put("window_size", 112);
		vision.put("fullatt_block_indexes", List.of(3));
		vision.put("tokens_per_second", 2);
		vision.put("hidden_act", "silu");
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("vocab_size", 151936);
		config.put("hidden_size", 2048);
		config.put("num_hidden_layers", 2);
		config.put("num_attention_heads", 16);
		config.put("num_key_value_heads", 2);
		config.put("intermediate_size", 11008);
		config.put("rms_norm_eps", 1e-6);
		config.put("rope_theta", 1_000_000.0);
		config.put("rope_scaling", Map.of("type", "mrope", "mrope_section", List.of(16, 24, 24)));
		config.put("hidden_act", "silu");
		config.put("tie_word_embeddings", true);
		config.put("image_token_id", 151655);
		config.put("video_token_id", 151656);
		config.put("vision_start_token_id", 151652);
		config.put("vision_end_token_id", 151653);
		config.put("vision_config", vision);
		return config;
	}

	static String option(List<String> args, String name, String fallback) {
		int at = args.indexOf(name);
		return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
	}

}
