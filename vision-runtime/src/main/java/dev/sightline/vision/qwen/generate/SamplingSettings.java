package dev.sightline.vision.qwen.generate;

import dev.sightline.vision.chat.GenerationOptions;

/**
 * How the next token is picked (spec §8.3): greedy when {@code temperature} is 0, else sampled after the
 * repetition penalty, temperature, top-k and top-p, in the order transformers' logits processors apply them.
 */
public record SamplingSettings(double temperature, double topP, int topK, double repetitionPenalty, long seed) {

	public static final SamplingSettings GREEDY = new SamplingSettings(0, 1, 0, 1, 0);

	public SamplingSettings {
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
			throw new IllegalArgumentException("repetitionPenalty must be a finite number > 0, got "
					+ repetitionPenalty);
		}
	}

	public static SamplingSettings from(GenerationOptions options) {
		long seed = options.seed().orElseGet(() -> new java.security.SecureRandom().nextLong());
		return new SamplingSettings(options.temperature(), options.topP(), options.topK(), options.repetitionPenalty(),
				seed);
	}

	public boolean greedy() {
		return temperature == 0;
	}

}
