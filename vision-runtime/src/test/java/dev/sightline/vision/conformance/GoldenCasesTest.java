package dev.sightline.vision.conformance;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Every visible golden case of the input-pipeline kinds, through the same runners as the conformance CLI. */
class GoldenCasesTest {

	private static final Set<String> KINDS = Set.of("preprocess_image", "preprocess_video", "rope_index", "tokenize");

	static Path goldenDir() {
		try {
			return Path.of(GoldenCasesTest.class.getResource("/golden/qwen2_5_vl/manifest.json").toURI()).getParent();
		}
		catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	@TestFactory
	Stream<DynamicTest> visibleCasesOfTheInputKindsPass() {
		GoldenManifest manifest = GoldenManifest.read(goldenDir());
		Map<String, CaseRunner> runners = CaseRunners.byKind();
		assertThat(manifest.cases().stream().filter(c -> KINDS.contains(c.kind()))).hasSizeGreaterThan(40);
		return manifest.cases()
			.stream()
			.filter(c -> KINDS.contains(c.kind()))
			.map(c -> DynamicTest.dynamicTest(c.kind() + " " + c.id(),
					() -> assertThat(Conformance.runOne(c, manifest.dir(), runners)).isEqualTo(CaseOutcome.passed())));
	}

}
