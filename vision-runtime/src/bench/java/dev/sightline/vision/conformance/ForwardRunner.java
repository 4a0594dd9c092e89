package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import dev.sightline.vision.qwen.LoadedModel;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.PromptSequence;
import dev.sightline.vision.weights.SafeTensorsFile;

/** {@code forward} cases of either family: logits of every prompt position, M-RoPE positions and rope delta. */
final class ForwardRunner implements CaseRunner {

	private final BiFunction<GoldenCase, Path, ? extends LoadedModel> models;

	/** @param models the family's golden model of a case ({@link GoldenModels#get}, {@link Qwen3GoldenModels#get}) */
	ForwardRunner(BiFunction<GoldenCase, Path, ? extends LoadedModel> models) {
		this.models = models;
	}

	@Override
	public String kind() {
		return "forward";
	}

	@Override
	public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
		LoadedModel model = models.apply(goldenCase, goldenDir);
		ModelInputs inputs = ModelInputsFile.read(goldenCase.file(goldenDir, "inputs"));
		try (SafeTensorsFile expected = SafeTensorsFile.open(goldenCase.file(goldenDir, "expected"));
				PromptSequence<?, ?> sequence = model.newSequence(inputs.inputIds().length)) {
			float[] logits = sequence.prefill(inputs, true);
			List<Optional<String>> checks = new ArrayList<>();
			checks.add(GoldenModels.tolerance(goldenCase).compare("logits", logits, expected.floats("logits")));
			checks.add(Tolerance.compareExact("rope_deltas", new long[] { sequence.ropeDelta() },
					expected.longs("rope_deltas")));
			long[][] positions = sequence.prefillPositions();
			long[] flat = new long[3 * positions[0].length];
			for (int axis = 0; axis < 3; axis++) {
				System.arraycopy(positions[axis], 0, flat, axis * positions[0].length, positions[0].length);
			}
			checks.add(Tolerance.compareExact("position_ids", flat, expected.longs("position_ids")));
			return CaseOutcome.of(checks);
		}
	}

}
