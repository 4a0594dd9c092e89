package dev.sightline.vision.bench;

import java.util.Arrays;
import java.util.List;

import dev.sightline.vision.family.ModelFamily;

/**
 * Entry point of {@code ./sightline bench preprocess|model [--family qwen2.5-vl|qwen3-vl] [--json]}: runs one benchmark of this module and prints
 * its {@link BenchReport}.
 */
public final class VisionBench {

	private VisionBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 0) {
			System.err.println("usage: VisionBench preprocess|model [--json]");
			System.exit(2);
		}
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		boolean json = rest.contains("--json");
		BenchReport report = switch (args[0]) {
			case "preprocess" -> PreprocessBench.run(rest);
			case "model" -> family(rest) == ModelFamily.QWEN3_VL ? Qwen3ModelBench.run(rest) : ModelBench.run(rest);
			default -> {
				System.err.println("unknown vision benchmark '" + args[0] + "' (known: preprocess, model)");
				System.exit(2);
				yield null;
			}
		};
		report.print(System.out, json);
	}

	private static ModelFamily family(List<String> args) {
		try {
			return ModelFamily.fromName(ModelBench.option(args, "--family", ModelFamily.QWEN2_5_VL.cliName()));
		}
		catch (IllegalArgumentException e) {
			System.err.println("bench model: " + e.getMessage());
			System.exit(2);
			return null;
		}
	}

}
