package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import dev.sightline.vision.constrain.JsonGrammar;

/**
 * Decoding settings (spec §8.3). Temperature 0 means greedy. Defaults are those of the published
 * {@code generation_config.json} where it has them.
 *
 * @param maxNewTokens upper bound on generated tokens, at least 1
 * @param temperature 0 for greedy, else > 0
 * @param topP nucleus mass within (0, 1]
 * @param topK 0 for no top-k cut, else the number of candidates kept
 * @param repetitionPenalty 1 for none, else > 0
 * @param seed seed for sampling; empty for a random one
 * @param stop extra stop strings besides the checkpoint's eos tokens
 * @param controls penalties on the completion's tokens, log-probabilities, an answer grammar
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, int topK, double repetitionPenalty,
		OptionalLong seed, List<String> stop, OutputControls controls) {

	public static final GenerationOptions GREEDY = new GenerationOptions(512, 0, 1, 0, 1, OptionalLong.empty(),
			List.of());

	public GenerationOptions {
		if (maxNewTokens < 1) {
			throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
		}
		checkSampling(temperature, topP, topK, repetitionPenalty);
		Objects.requireNonNull(seed, "seed");
		stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
		Objects.requireNonNull(controls, "controls");
	}

	public GenerationOptions(int maxNewTokens, double temperature, double topP, int topK, double repetitionPenalty,
			OptionalLong seed, List<String> stop) {
		this(maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, stop, OutputControls.NONE);
	}

	/** The sampling ranges every decoding setting must respect; shared with the runtime's sampler settings. */
	public static void checkSampling(double temperature, double topP, int topK, double repetitionPenalty) {
		if (!(temperature >= 0) || !Double.isFinite(temperature)) {
			throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
		}
		if (!(topP > 0 && topP <= 1)) {
			throw new IllegalArgumentException("topP must be within (0, 1], got " + topP);
		}
		if (topK < 0) {
			throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
		}
		if (!(repetitionPenalty > 0) || !Double.isFinite(repetitionPenalty)) {
			throw new IllegalArgumentException("repetitionPenalty must be a finite number > 0, got " + repetitionPenalty);
		}
	}

	public GenerationOptions withMaxNewTokens(int value) {
		return new GenerationOptions(value, temperature, topP, topK, repetitionPenalty, seed, stop, controls);
	}

	public GenerationOptions withTemperature(double value) {
		return new GenerationOptions(maxNewTokens, value, topP, topK, repetitionPenalty, seed, stop, controls);
	}

	public GenerationOptions withSeed(long value) {
		return new GenerationOptions(maxNewTokens, temperature, topP, topK, repetitionPenalty, OptionalLong.of(value),
				stop, controls);
	}

	public GenerationOptions withControls(OutputControls value) {
		return new GenerationOptions(maxNewTokens, temperature, topP, topK, repetitionPenalty, seed, stop, value);
	}

	/** These options with the answer decoded into {@code grammar} (the other controls kept). */
	public GenerationOptions withFormat(JsonGrammar grammar) {
		return withControls(controls.withFormat(grammar));
	}

	public boolean greedy() {
		return temperature == 0;
	}

}
