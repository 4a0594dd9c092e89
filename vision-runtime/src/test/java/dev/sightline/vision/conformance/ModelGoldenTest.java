package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Every visible golden model case (vision_encoder, forward, generate) passes within its tolerance. */
class ModelGoldenTest {

	static final Path GOLDEN = Path.of("src/test/resources/golden/qwen2_5_vl");

	private static final Set<String> MODEL_KINDS = Set.of("vision_encoder", "forward", "generate");

	@TestFactory
	Stream<DynamicTest> everyModelCaseMatchesTheReference() {
		GoldenManifest manifest = GoldenManifest.read(GOLDEN);
		var runners = CaseRunners.byKind();
		var cases = manifest.cases().stream().filter(c -> MODEL_KINDS.contains(c.kind())).toList();
		assertThat(cases).extracting(GoldenCase::kind).containsAll(MODEL_KINDS);
		return cases.stream()
			.map(c -> DynamicTest.dynamicTest(c.id(),
					() -> assertThat(runners.get(c.kind()).run(c, GOLDEN)).isEqualTo(CaseOutcome.passed())));
	}

}
