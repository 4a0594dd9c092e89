package dev.sightline.tools.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.profile.ModelProfiles;
import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * {@code ./sightline eval grounding ...} and {@code ./sightline eval make-grounding-set ...}; see
 * docs/grounding-eval.md.
 */
public final class EvalCli {

	private static final String USAGE = """
			Usage:
			  ./sightline eval grounding --data DIR --backend openai --base-url URL --model NAME [--api-key KEY]
			  ./sightline eval grounding --data DIR --backend in-process --model CHECKPOINT_DIR
			      [--max-pixels N[,N...]]  budgets to run every item at (default 1003520)
			      [--min-pixels N]         (default 3136)
			      [--concurrency N]        model calls in flight (default 1)
			      [--out DIR]              results folder; runs already in it are skipped (default eval-results)
			      [--bbox auto|xywh|xyxy]  bbox layout (default auto: ScreenSpot v1/v2 xywh, ScreenSpot-Pro xyxy)
			      [--timeout-s N]          per call, openai backend (default 300)
			      [--profile P]            auto|qwen2.5-vl|qwen3-vl|ui-tars-1.5: prompt, answer grammar and
			                               coordinate space of the model family (default auto: from the
			                               checkpoint's config.json or the model name)
			  ./sightline eval make-grounding-set --out DIR [--viewports 1280x800,390x844] [--dprs 1,2]
			      [--pages page,page|DIR]  built-in pages (%s) or a folder of your own .html pages
			""";

	private static final Set<String> GROUNDING_OPTIONS = Set.of("data", "backend", "base-url", "model", "api-key",
			"max-pixels", "min-pixels", "concurrency", "out", "bbox", "timeout-s", "profile");

	private static final Set<String> GENERATOR_OPTIONS = Set.of("out", "viewports", "dprs", "pages");

	private EvalCli() {
	}

	public static void main(String[] args) {
		int code;
		try {
			code = run(args, System.out, System.err);
		}
		catch (IllegalArgumentException | ToolsException | VisionRuntimeException e) {
			System.err.println("sightline eval: error: " + e.getMessage());
			code = 2;
		}
		catch (IOException e) {
			System.err.println("sightline eval: I/O error: " + e.getMessage());
			code = 1;
		}
		System.exit(code);
	}

	static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
			out.print(usage());
			return 0;
		}
		String[] rest = Arrays.copyOfRange(args, 1, args.length);
		return switch (args[0]) {
			case "grounding" -> grounding(options(rest, GROUNDING_OPTIONS), out, err);
			case "make-grounding-set" -> makeSet(options(rest, GENERATOR_OPTIONS), out);
			default -> throw new IllegalArgumentException(
					"unknown eval command '" + args[0] + "' (known: grounding, make-grounding-set)\n" + usage());
		};
	}

	private static String usage() {
		return USAGE.formatted(String.join(", ", GeneratorPages.BUILT_IN));
	}

	private static int grounding(Map<String, String> options, PrintStream out, PrintStream err) throws IOException {
		Path data = Path.of(required(options, "data"));
		List<Long> maxPixels = longs(options.getOrDefault("max-pixels", String.valueOf(EvalSettings.DEFAULT_MAX_PIXELS)),
				"max-pixels");
		long minPixels = longs(options.getOrDefault("min-pixels", String.valueOf(EvalSettings.DEFAULT_MIN_PIXELS)),
				"min-pixels").get(0);
		int concurrency = longs(options.getOrDefault("concurrency", "1"), "concurrency").get(0).intValue();
		EvalSettings settings = new EvalSettings(maxPixels, minPixels, concurrency);
		BoxLayout layout = switch (options.getOrDefault("bbox", "auto")) {
			case "auto" -> BoxLayout.AUTO;
			case "xywh" -> BoxLayout.XYWH;
			case "xyxy" -> BoxLayout.XYXY;
			default -> throw new IllegalArgumentException("--bbox must be auto, xywh or xyxy, got " + options.get("bbox"));
		};
		List<GroundingItem> items = new GroundingSetReader(layout).read(data);
		String backend = required(options, "backend");
		String modelName = required(options, "model");
		long widest = maxPixels.stream().mapToLong(Long::longValue).max().orElseThrow();
		VisionLanguageModel model = switch (backend) {
			case EvalBackends.OPENAI -> EvalBackends.openAi(required(options, "base-url"), modelName,
					options.getOrDefault("api-key", ""), new PixelBudget(minPixels, widest),
					longs(options.getOrDefault("timeout-s", "300"), "timeout-s").get(0).intValue());
			case EvalBackends.IN_PROCESS -> EvalBackends.inProcess(Path.of(modelName));
			default -> throw new IllegalArgumentException(
					"--backend must be " + EvalBackends.OPENAI + " or " + EvalBackends.IN_PROCESS + ", got " + backend);
		};
		String profileSetting = options.getOrDefault("profile", ModelProfile.AUTO);
		ModelProfile profile;
		try {
			profile = backend.equals(EvalBackends.IN_PROCESS)
					? ModelProfiles.forCheckpoint(profileSetting, Path.of(modelName), modelName)
					: ModelProfiles.forServedModel("--profile", profileSetting, modelName);
		}
		catch (RuntimeException e) {
			model.close();
			throw new IllegalArgumentException(e.getMessage().replace(ModelProfiles.SETTING, "--profile"), e);
		}
		Path outDir = Path.of(options.getOrDefault("out", "eval-results"));
		RunInfo info = new RunInfo(backend, model.name(), profile.id(), data.toAbsolutePath().toString(), maxPixels,
				concurrency);
		AccuracyReport report;
		try (model) {
			report = new GroundingRunner(model, profile, settings, EvalProgress.on(err, System.console() != null)).run(items,
					outDir, info);
		}
		ReportWriter.printTable(out, report);
		out.println();
		out.println("results: " + outDir.resolve(ReportWriter.REPORT_JSON) + ", "
				+ outDir.resolve(ReportWriter.RESULTS_CSV) + ", " + outDir.resolve(MissesPage.FILE));
		return 0;
	}

	private static int makeSet(Map<String, String> options, PrintStream out) throws IOException {
		Path outDir = Path.of(required(options, "out"));
		List<Viewport> viewports = new ArrayList<>();
		for (String size : options.getOrDefault("viewports", "1280x800,390x844").split(",")) {
			viewports.add(Viewport.parse(size.strip()));
		}
		List<Double> dprs = new ArrayList<>();
		for (String dpr : options.getOrDefault("dprs", "1,2").split(",")) {
			try {
				dprs.add(Double.parseDouble(dpr.strip()));
			}
			catch (NumberFormatException e) {
				throw new IllegalArgumentException("--dprs must be numbers like 1,2, got '" + dpr + "'");
			}
		}
		GeneratorPages pages = GeneratorPages.resolve(options.getOrDefault("pages", String.join(",",
				GeneratorPages.BUILT_IN)));
		GeneratedSet set = new GroundingSetGenerator().generate(pages, viewports, dprs, outDir);
		out.printf("wrote %d items on %d screenshots to %s%n", set.items(), set.screenshots(), set.annotations());
		return 0;
	}

	static Map<String, String> options(String[] args, Set<String> known) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
			}
			String name = arg.substring(2);
			String value;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			else {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("option --" + name + " needs a value");
				}
				value = args[++i];
			}
			if (!known.contains(name)) {
				throw new IllegalArgumentException("unknown option --" + name + " (known: --"
						+ String.join(", --", known.stream().sorted().toList()) + ")");
			}
			options.put(name, value);
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	private static List<Long> longs(String text, String option) {
		List<Long> values = new ArrayList<>();
		for (String part : text.split(",")) {
			try {
				values.add(Long.parseLong(part.strip().replace("_", "")));
			}
			catch (NumberFormatException e) {
				throw new IllegalArgumentException("--" + option + " must be whole numbers, got '" + part + "'");
			}
		}
		return values;
	}

}
