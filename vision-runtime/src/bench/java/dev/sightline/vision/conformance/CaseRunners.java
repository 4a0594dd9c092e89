package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sightline.vision.family.ModelFamily;

/**
 * Every golden case kind this runtime checks, per model family, in one place. Kinds not listed here are skipped with
 * a reason.
 */
public final class CaseRunners {

	private CaseRunners() {
	}

	/** The runners of one family's golden set. */
	public static Map<String, CaseRunner> forFamily(ModelFamily family) {
		List<CaseRunner> runners = switch (family) {
			case QWEN2_5_VL -> all();
			// Same image pipeline and tokenizer as Qwen2.5-VL (the case params carry patch 16 and mean/std 0.5).
			case QWEN3_VL -> List.of(new PreprocessImageRunner(), new Qwen3PreprocessVideoRunner(),
					new SmartResizeTableRunner(), new Qwen3RopeIndexRunner(), new TokenizeRunner(),
					new ChatTemplateRunner(), new VideoPromptRunner(), new Qwen3VisionEncoderRunner(),
					new ForwardRunner(Qwen3GoldenModels::get), new GenerateRunner(Qwen3GoldenModels::get));
		};
		Map<String, CaseRunner> byKind = new LinkedHashMap<>();
		runners.forEach(r -> byKind.put(r.kind(), r));
		return byKind;
	}

	/** The Qwen2.5-VL runners. */
	public static List<CaseRunner> all() {
		return List.of(new PreprocessImageRunner(), new PreprocessVideoRunner(), new RopeIndexRunner(),
				new TokenizeRunner(), new VisionEncoderRunner(), new ForwardRunner(GoldenModels::get),
				new GenerateRunner(GoldenModels::get));
	}

	public static Map<String, CaseRunner> byKind() {
		Map<String, CaseRunner> runners = new LinkedHashMap<>();
		all().forEach(r -> runners.put(r.kind(), r));
		return runners;
	}

	public static Optional<CaseRunner> forKind(String kind) {
		return Optional.ofNullable(byKind().get(kind));
	}

	private static CaseRunner notImplemented(String kind) {
		return new CaseRunner() {
			@Override
			public String kind() {
				return kind;
			}

			@Override
			public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
				return CaseOutcome.skipped("model not implemented");
			}
		};
	}

}
