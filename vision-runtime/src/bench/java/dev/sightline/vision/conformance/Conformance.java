package dev.sightline.vision.conformance;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * {@code ./sightline conformance --golden DIR [--family qwen2.5-vl|qwen3-vl] [--kinds a,b]
 * [--dtype fp32|fp16|auto-gpu|auto] [--device cpu|gpu:N|auto]}: runs every case of a golden folder through its
 * family's runner for the case's kind under a dtype policy (default fp32 on the CPU; any policy can be forced on the
 * CPU), prints the family, the policy and the tolerance it is held to, one line per case, and ends with
 * {@code N passed, M failed} (plus {@code , K skipped}). The family comes from the {@code config.json} of the
 * folder's {@code models/*} unless {@code --family} names it. Exit code 1 when any case failed, 2 on bad arguments.
 */
public final class Conformance {

	/** Totals of one run. */
	public record Summary(int passed, int failed, int skipped) {

		@Override
		public String toString() {
			return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
		}

	}

	private Conformance() {
	}

	public static void main(String[] args) {
		Path golden = null;
		Set<String> kinds = null;
		ModelFamily family = null;
		ComputeType dtype = ComputeType.FP32;
		DevicePolicy device = new DevicePolicy("cpu");
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--dtype" -> {
					String value = i + 1 < args.length ? args[++i] : "";
					dtype = parse(() -> ComputeType.parse(value));
				}
				case "--device" -> {
					String value = i + 1 < args.length ? args[++i] : "";
					device = parse(() -> new DevicePolicy(value));
				}
				case "--golden" -> golden = i + 1 < args.length ? Path.of(args[++i]) : null;
				case "--family" -> {
					try {
						family = i + 1 < args.length ? ModelFamily.fromName(args[++i]) : null;
					}
					catch (IllegalArgumentException e) {
						usage(e.getMessage());
					}
				}
				case "--kinds" -> kinds = i + 1 < args.length
						? new LinkedHashSet<>(Arrays.asList(args[++i].split(","))) : null;
				default -> usage("unknown argument '" + args[i] + "'");
			}
		}
		if (golden == null) {
			usage("--golden DIR is required");
		}
		if (!Files.isRegularFile(golden.resolve("manifest.json"))) {
			usage(golden + " has no manifest.json");
		}
		if (family == null) {
			try {
				family = familyOf(golden);
			}
			catch (RuntimeException e) {
				usage(e.getMessage() + "; name it with --family");
			}
		}
		System.out.println("family " + family.cliName());
		GoldenModels.use(dtype, device);
		PolicyTolerance tolerance = PolicyTolerance.forDtype(dtype);
		String setting = "dtype " + dtype.wireName() + " on device " + device.value() + "; " + tolerance.describe();
		System.out.println(setting);
		Summary summary = run(GoldenManifest.read(golden), kinds, CaseRunners.forFamily(family), System.out);
		System.out.println(summary + " (" + setting + ")");
		System.exit(summary.failed() > 0 ? 1 : 0);
	}

	/**
	 * The family of a golden folder: that of every checkpoint under {@code models/}. A folder without models is told
	 * by its case kinds: {@link #QWEN3_ONLY_KINDS} exist only in Qwen3-VL sets; otherwise it is a Qwen2.5-VL set.
	 */
	public static ModelFamily familyOf(Path golden) {
		Path models = golden.resolve("models");
		Set<ModelFamily> families = new LinkedHashSet<>();
		if (Files.isDirectory(models)) {
			try (var dirs = Files.list(models)) {
				dirs.filter(dir -> Files.isRegularFile(dir.resolve("config.json")))
					.sorted()
					.forEach(dir -> families.add(ModelFamily.detect(dir)));
			}
			catch (java.io.IOException e) {
				throw new java.io.UncheckedIOException("cannot list " + models, e);
			}
		}
		if (families.size() > 1) {
			throw new IllegalArgumentException(golden + " holds checkpoints of several families " + families);
		}
		if (!families.isEmpty()) {
			return families.iterator().next();
		}
		boolean qwen3Kinds = GoldenManifest.read(golden).cases().stream()
			.anyMatch(c -> QWEN3_ONLY_KINDS.contains(c.kind()));
		return qwen3Kinds ? ModelFamily.QWEN3_VL : ModelFamily.QWEN2_5_VL;
	}

	/** Case kinds only Qwen3-VL golden sets have. */
	static final Set<String> QWEN3_ONLY_KINDS = Set.of("smart_resize_table", "chat_template", "video_prompt");

	/** Runs the cases whose kind is in {@code kinds} (all when null), printing one line per case. */
	public static Summary run(GoldenManifest manifest, Set<String> kinds, Map<String, CaseRunner> runners,
			PrintStream out) {
		int passed = 0;
		int failed = 0;
		int skipped = 0;
		for (GoldenCase c : manifest.cases()) {
			if (kinds != null && !kinds.contains(c.kind())) {
				continue;
			}
			CaseOutcome outcome = runOne(c, manifest.dir(), runners);
			switch (outcome) {
				case CaseOutcome.Passed p -> {
					passed++;
					out.println("PASS " + c);
				}
				case CaseOutcome.Failed f -> {
					failed++;
					out.println("FAIL " + c + ": " + f.reason());
				}
				case CaseOutcome.Skipped s -> {
					skipped++;
					out.println("SKIP " + c + ": " + s.reason());
				}
			}
		}
		return new Summary(passed, failed, skipped);
	}

	public static CaseOutcome runOne(GoldenCase c, Path goldenDir, Map<String, CaseRunner> runners) {
		CaseRunner runner = runners.get(c.kind());
		if (runner == null) {
			return CaseOutcome.skipped("unknown case kind '" + c.kind() + "'");
		}
		try {
			return runner.run(c, goldenDir);
		}
		catch (Exception | LinkageError e) {
			return CaseOutcome.failed("runner threw " + e);
		}
	}

	private static <T> T parse(java.util.function.Supplier<T> parser) {
		try {
			return parser.get();
		}
		catch (IllegalArgumentException e) {
			usage(e.getMessage());
			return null;
		}
	}

	private static void usage(String problem) {
		System.err.println("conformance: " + problem);
		System.err.println("usage: conformance --golden DIR [--family qwen2.5-vl|qwen3-vl] [--kinds kind1,kind2] "
				+ "[--dtype fp32|fp16|auto-gpu|auto] [--device cpu|gpu:N|auto]");
		System.exit(2);
	}

}
