package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every golden case kind this runtime checks, in one place. Kinds not listed here are skipped with a reason. */
public final class CaseRunners {

	private CaseRunners() {
	}

	public static List<CaseRunner> all() {
		return List.of(new PreprocessImageRunner(), new PreprocessVideoRunner(), new RopeIndexRunner(),
				new TokenizeRunner(), new VisionEncoderRunner(), new ForwardRunner(), new GenerateRunner());
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
