package dev.sightline.vision.conformance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** Every visible Qwen3-VL golden case, of every kind, through the same runners as the conformance CLI. */
class Qwen3GoldenTest {

	static final Set<String> KINDS = Set.of("preprocess_image", "preprocess_video", "smart_resize_table", "rope_index",
			"tokenize", "chat_template", "video_prompt", "vision_encoder", "forward", "generate");

	static Path goldenDir() {
		try {
			return Path.of(Qwen3GoldenTest.class.getResource("/golden/qwen3_vl/manifest.json").toURI()).getParent();
		}
		catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	@TestFactory
	Stream<DynamicTest> everyVisibleCasePasses() {
		GoldenManifest manifest = GoldenManifest.read(goldenDir());
		Map<String, CaseRunner> runners = CaseRunners.forFamily(ModelFamily.QWEN3_VL);
		assertThat(manifest.cases()).hasSize(38);
		assertThat(manifest.cases().stream().map(GoldenCase::kind).collect(Collectors.toSet())).isEqualTo(KINDS);
		return manifest.cases()
			.stream()
			.map(c -> DynamicTest.dynamicTest(c.kind() + " " + c.id(),
					() -> assertThat(Conformance.runOne(c, manifest.dir(), runners)).isEqualTo(CaseOutcome.passed())));
	}

	/**
	 * A second checkpoint shape (untied, two shards, one KV head, head_dim 16, mrope_section [3,3,2], three DeepStack
	 * levels; a video before an image) whose logits come from an independent float64 numpy port of the spec
	 * ({@code src/test/python/make_qwen3_shapes.py}), through the CLI's path.
	 */
	@Test
	void aSecondShapeMatchesAnIndependentNumpyPort() {
		Path shapes = Path.of("src/test/resources/golden/qwen3_vl_shapes");
		assertThat(Conformance.familyOf(shapes)).isEqualTo(ModelFamily.QWEN3_VL);
		Conformance.Summary summary = Conformance.run(GoldenManifest.read(shapes), null,
				CaseRunners.forFamily(ModelFamily.QWEN3_VL),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
		assertThat(summary).isEqualTo(new Conformance.Summary(1, 0, 0));
	}

	/**
	 * Qwen3-VL under the runtime's GPU dtype policy, forced on the CPU: every model case within the policy's
	 * tolerance floor, token ids exact (Qwen3MixedPrecisionTest shows the policy is what keeps it finite).
	 */
	@Test
	void modelCasesPassUnderTheGpuPolicyForcedOnTheCpu() {
		GoldenManifest manifest = GoldenManifest.read(goldenDir());
		Set<String> modelKinds = Set.of("vision_encoder", "forward", "generate");
		long modelCases = manifest.cases().stream().filter(c -> modelKinds.contains(c.kind())).count();
		ByteArrayOutputStream lines = new ByteArrayOutputStream();
		try {
			GoldenModels.use(ComputeType.AUTO_GPU, new DevicePolicy("cpu"));
			Conformance.Summary summary = Conformance.run(manifest, modelKinds,
					CaseRunners.forFamily(ModelFamily.QWEN3_VL), new PrintStream(lines, true, StandardCharsets.UTF_8));
			assertThat(summary).as(lines.toString(StandardCharsets.UTF_8))
				.isEqualTo(new Conformance.Summary((int) modelCases, 0, 0));
			assertThat(modelCases).isPositive();
		}
		finally {
			GoldenModels.use(ComputeType.FP32, new DevicePolicy("cpu"));
		}
	}

	@Test
	void theFolderIsRecognisedAsQwen3AndNoKindIsSkipped() {
		assertThat(Conformance.familyOf(goldenDir())).isEqualTo(ModelFamily.QWEN3_VL);
		assertThat(Conformance.familyOf(GoldenCasesTest.goldenDir())).isEqualTo(ModelFamily.QWEN2_5_VL);
		assertThat(CaseRunners.forFamily(ModelFamily.QWEN3_VL).keySet()).containsAll(KINDS);
		ByteArrayOutputStream lines = new ByteArrayOutputStream();
		Conformance.Summary summary = Conformance.run(GoldenManifest.read(goldenDir()),
				Set.of("smart_resize_table", "video_prompt", "chat_template"),
				CaseRunners.forFamily(ModelFamily.QWEN3_VL), new PrintStream(lines, true, StandardCharsets.UTF_8));
		assertThat(summary).isEqualTo(new Conformance.Summary(6, 0, 0));
	}

	@Test
	void aFolderWithoutModelsIsToldByItsKinds(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		java.nio.file.Files.writeString(dir.resolve("manifest.json"), """
				{"format": 1, "cases": [{"id": "t", "kind": "smart_resize_table", "files": {}, "params": {}}]}""");
		assertThat(Conformance.familyOf(dir)).isEqualTo(ModelFamily.QWEN3_VL);
		java.nio.file.Files.writeString(dir.resolve("manifest.json"), """
				{"format": 1, "cases": [{"id": "t", "kind": "tokenize", "files": {}, "params": {}}]}""");
		assertThat(Conformance.familyOf(dir)).isEqualTo(ModelFamily.QWEN2_5_VL);
	}

	@Test
	void theQwen25RunnersRefuseQwen3ModelCases() {
		GoldenManifest manifest = GoldenManifest.read(goldenDir());
		GoldenCase forward = manifest.cases().stream().filter(c -> c.kind().equals("forward")).findFirst().orElseThrow();
		assertThat(Conformance.runOne(forward, manifest.dir(), CaseRunners.forFamily(ModelFamily.QWEN2_5_VL)))
			.isInstanceOf(CaseOutcome.Failed.class);
	}

}
