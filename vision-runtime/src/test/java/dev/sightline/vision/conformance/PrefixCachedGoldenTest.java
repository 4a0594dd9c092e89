package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.qwen.LoadedModel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden conformance with the prefix cache on: every model case of both families passes twice in a row, the
 * second time with its prompt's blocks restored from the cache (the generate cases start after the cached prefix;
 * forward cases need every row's logits, so they fill the cache without reading it).
 */
class PrefixCachedGoldenTest {

	private static final Set<String> MODEL_KINDS = Set.of("forward", "generate");

	@Test
	void qwen25ModelCasesPassTwiceWithTheCacheOn() {
		assertPassTwice(GoldenCasesTest.goldenDir(), ModelFamily.QWEN2_5_VL, GoldenModels::get);
	}

	@Test
	void qwen3ModelCasesPassTwiceWithTheCacheOn() {
		assertPassTwice(Qwen3GoldenTest.goldenDir(), ModelFamily.QWEN3_VL, Qwen3GoldenModels::get);
	}

	private static void assertPassTwice(Path dir, ModelFamily family,
			BiFunction<GoldenCase, Path, ? extends LoadedModel> models) {
		GoldenManifest manifest = GoldenManifest.read(dir);
		Map<String, CaseRunner> runners = CaseRunners.forFamily(family);
		List<GoldenCase> cases = manifest.cases().stream().filter(c -> MODEL_KINDS.contains(c.kind())).toList();
		assertThat(cases).extracting(GoldenCase::kind).contains("generate");
		List<LoadedModel> used = new ArrayList<>();
		long hitsBefore = 0;
		try {
			for (GoldenCase goldenCase : cases) {
				LoadedModel model = models.apply(goldenCase, manifest.dir());
				if (!used.contains(model)) {
					used.add(model);
					model.prefixCache().setBudgetBytes(64L << 20);
					hitsBefore += model.prefixCache().stats().hitTokens();
				}
				for (int round = 1; round <= 2; round++) {
					assertThat(Conformance.runOne(goldenCase, manifest.dir(), runners))
						.as("%s %s, round %d", goldenCase.kind(), goldenCase.id(), round)
						.isEqualTo(CaseOutcome.passed());
				}
			}
			long hits = used.stream().mapToLong(m -> m.prefixCache().stats().hitTokens()).sum() - hitsBefore;
			assertThat(hits).as("prompt tokens restored from the cache").isPositive();
		}
		finally {
			used.forEach(model -> model.prefixCache().setBudgetBytes(0));
		}
	}

}
