package dev.sightline.vision.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConformanceTest {

	@TempDir
	Path dir;

	@Test
	void countsPassedFailedAndSkippedCasesOfAnyFolderInTheFormat() throws IOException {
		Files.createDirectories(dir.resolve("c"));
		Files.writeString(dir.resolve("c/right.json"), "{\"text\": \"Hello world\", \"ids\": [9707, 1879]}");
		Files.writeString(dir.resolve("c/wrong.json"), "{\"text\": \"Hello world\", \"ids\": [9707, 1]}");
		Files.copy(GoldenCasesTest.goldenDir().resolve("cases/pp_err_2801x14_aspect/input.png"),
				dir.resolve("c/wide.png"));
		Files.writeString(dir.resolve("manifest.json"), """
				{"format": 1, "cases": [
				 {"id": "a", "kind": "tokenize", "tokenizer": "qwen2.5", "files": {"expected": "c/right.json"},
				  "params": {}, "tolerance": {"atol": 0, "rtol": 0}},
				 {"id": "b", "kind": "tokenize", "tokenizer": "qwen2.5", "files": {"expected": "c/wrong.json"},
				  "params": {}, "tolerance": {"atol": 0, "rtol": 0}},
				 {"id": "c", "kind": "hologram", "files": {}, "params": {}},
				 {"id": "d", "kind": "preprocess_image", "files": {"image": "c/wide.png"},
				  "params": {"min_pixels": 3136, "max_pixels": 12845056, "expect_error": true}},
				 {"id": "e", "kind": "preprocess_image", "files": {"image": "c/wide.png"},
				  "params": {"min_pixels": 3136, "max_pixels": 12845056, "expect_error": false}}
				]}""");
		ByteArrayOutputStream lines = new ByteArrayOutputStream();
		Conformance.Summary summary = Conformance.run(GoldenManifest.read(dir), null, CaseRunners.byKind(),
				new PrintStream(lines, true, StandardCharsets.UTF_8));
		assertThat(summary).isEqualTo(new Conformance.Summary(2, 2, 1));
		assertThat(summary.toString()).isEqualTo("2 passed, 2 failed, 1 skipped");
		assertThat(lines.toString(StandardCharsets.UTF_8)).contains("PASS a (tokenize)")
			.contains("FAIL b (tokenize): ids: 1 of 2 values differ")
			.contains("SKIP c (hologram): unknown case kind 'hologram'")
			.contains("PASS d (preprocess_image)")
			.contains("FAIL e (preprocess_image)");
	}

	@Test
	void limitsTheRunToTheRequestedKinds() {
		GoldenManifest manifest = GoldenManifest.read(GoldenCasesTest.goldenDir());
		Conformance.Summary summary = Conformance.run(manifest, Set.of("rope_index"), CaseRunners.byKind(),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
		long ropeCases = manifest.cases().stream().filter(c -> c.kind().equals("rope_index")).count();
		assertThat(summary).isEqualTo(new Conformance.Summary((int) ropeCases, 0, 0));
		assertThat(summary.toString()).isEqualTo(ropeCases + " passed, 0 failed");
	}

	@Test
	void goldenModelCasesPassUnderTheGpuPolicyForcedOnTheCpuWithItsOwnTolerance() {
		GoldenManifest manifest = GoldenManifest.read(GoldenCasesTest.goldenDir());
		Set<String> modelKinds = Set.of("vision_encoder", "forward", "generate");
		long modelCases = manifest.cases().stream().filter(c -> modelKinds.contains(c.kind())).count();
		ByteArrayOutputStream lines = new ByteArrayOutputStream();
		try {
			GoldenModels.use(ComputeType.AUTO_GPU, new DevicePolicy("cpu"));
			Conformance.Summary summary = Conformance.run(manifest, modelKinds, CaseRunners.byKind(),
					new PrintStream(lines, true, StandardCharsets.UTF_8));
			assertThat(summary).as(lines.toString(StandardCharsets.UTF_8))
				.isEqualTo(new Conformance.Summary((int) modelCases, 0, 0));
			// The float32 tolerance is what the half path cannot meet: the policy's floor is what lets it pass.
			GoldenCase forward = manifest.cases().stream().filter(c -> c.kind().equals("forward")).findFirst().get();
			assertThat(GoldenModels.tolerance(forward)).isEqualTo(new Tolerance(0.05, 0.02));
		}
		finally {
			GoldenModels.use(ComputeType.FP32, new DevicePolicy("cpu"));
		}
	}

	@Test
	void registersARunnerForEveryDocumentedKind() {
		assertThat(CaseRunners.byKind()).containsKeys("vision_encoder", "forward", "generate", "preprocess_image",
				"preprocess_video", "rope_index", "tokenize");
	}

	@Test
	void toleranceFollowsNumpyAllclose() {
		Tolerance t = new Tolerance(1e-5, 1e-3);
		assertThat(t.compare("x", new float[] { 1000.5f, 0f }, new float[] { 1000f, 0.00001f })).isEmpty();
		assertThat(t.compare("x", new float[] { 1002f }, new float[] { 1000f })).get().asString()
			.contains("1 of 1 values differ");
		assertThat(t.compare("x", new float[] { Float.NaN }, new float[] { Float.NaN })).isPresent();
		assertThat(Tolerance.compareExact("ids", new long[] { 1, 2 }, new long[] { 1 })).get().asString()
			.contains("2 values, expected 1");
	}

}
