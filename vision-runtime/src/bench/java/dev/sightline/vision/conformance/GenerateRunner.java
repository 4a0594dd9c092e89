package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.StreamSupport;

import dev.sightline.vision.qwen.LoadedModel;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.PromptSequence;
import dev.sightline.vision.qwen.generate.Completion;
import dev.sightline.vision.qwen.generate.GenerationLoop;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * {@code generate} cases of either family: greedy decoding with the KV cache (Qwen3-VL: vision and DeepStack in the
 * prefill only); new ids exactly, each step's logits within tolerance.
 */
final class GenerateRunner implements CaseRunner {

	private final BiFunction<GoldenCase, Path, ? extends LoadedModel> models;

	/** @param models the family's golden model of a case ({@link GoldenModels#get}, {@link Qwen3GoldenModels#get}) */
	GenerateRunner(BiFunction<GoldenCase, Path, ? extends LoadedModel> models) {
		this.models = models;
	}

	@Override
	public String kind() {
		return "generate";
	}

	@Override
	public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
		LoadedModel model = models.apply(goldenCase, goldenDir);
		ModelInputs inputs = ModelInputsFile.read(goldenCase.file(goldenDir, "inputs"));
		int maxNewTokens = goldenCase.params().path("max_new_tokens").asInt(8);
		Set<Integer> stop = stopIds(goldenCase, model);
		try (SafeTensorsFile expected = SafeTensorsFile.open(goldenCase.file(goldenDir, "expected"));
				PromptSequence<?, ?> sequence = model.newSequence(inputs.inputIds().length + maxNewTokens)) {
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

	/**
	 * The case's stop ids: Qwen3-VL cases list {@code eos_token_ids}, Qwen2.5-VL cases name one
	 * {@code eos_token_id}; without either, the checkpoint's generation config.
	 */
	private static Set<Integer> stopIds(GoldenCase goldenCase, LoadedModel model) {
		var eos = goldenCase.params().path("eos_token_ids");
		if (eos.isArray() && !eos.isEmpty()) {
			return Set.copyOf(StreamSupport.stream(eos.spliterator(), false).map(n -> n.asInt()).toList());
		}
		if (goldenCase.params().has("eos_token_id")) {
			return Set.of(goldenCase.params().get("eos_token_id").asInt());
		}
		return Set.copyOf(model.generationConfig().eosTokenIds());
	}

}
