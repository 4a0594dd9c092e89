package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.generate.Completion;
import dev.sightline.vision.qwen.generate.GenerationLoop;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.qwen3.Qwen3Sequence;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * Qwen3-VL {@code generate}: greedy decoding with the KV cache (vision and DeepStack in the prefill only); new ids
 * exactly, each step's logits within tolerance.
 */
final class Qwen3GenerateRunner implements CaseRunner {

	@Override
	public String kind() {
		return "generate";
	}

	@Override
	public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
		Qwen3Model model = Qwen3GoldenModels.get(goldenCase, goldenDir);
		ModelInputs inputs = ModelInputsFile.read(goldenCase.file(goldenDir, "inputs"));
		int maxNewTokens = goldenCase.params().path("max_new_tokens").asInt(8);
		var eos = goldenCase.params().path("eos_token_ids");
		Set<Integer> stop = eos.isArray() && !eos.isEmpty()
				? Set.copyOf(StreamSupport.stream(eos.spliterator(), false).map(n -> n.asInt()).toList())
				: Set.copyOf(model.generationConfig().eosTokenIds());
		try (SafeTensorsFile expected = SafeTensorsFile.open(goldenCase.file(goldenDir, "expected"));
				Qwen3Sequence sequence = model.newSequence(inputs.inputIds().length + maxNewTokens)) {
			float[] first = sequence.prefill(inputs, false);
			List<float[]> stepLogits = new ArrayList<>();
			Completion completion = GenerationLoop.run(first, inputs.inputIds(), sequence::step,
					new Sampler(SamplingSettings.GREEDY), stop, maxNewTokens, (token, logits) -> stepLogits.add(logits));
			long[] ids = completion.tokenIds().stream().mapToLong(Integer::longValue).toArray();
			float[] flat = new float[stepLogits.stream().mapToInt(r -> r.length).sum()];
			int at = 0;
			for (float[] row : stepLogits) {
				System.arraycopy(row, 0, flat, at, row.length);
				at += row.length;
			}
			List<Optional<String>> checks = new ArrayList<>();
			checks.add(Tolerance.compareExact("new_token_ids", ids, expected.longs("new_token_ids")));
			checks.add(GoldenModels.tolerance(goldenCase).compare("step_logits", flat, expected.floats("step_logits")));
			checks.add(Tolerance.compareExact("rope_deltas", new long[] { sequence.ropeDelta() },
					expected.longs("rope_deltas")));
			return CaseOutcome.of(checks);
		}
	}

}
