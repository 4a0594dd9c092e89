package dev.sightline.vision.qwen.generate;

import java.security.SecureRandom;

import dev.sightline.vision.chat.GenerationOptions;

/**
 * How the next token is picked (spec §8.3): greedy when {@code temperature} is 0, else sampled after the
 * repetition penalty, temperature, top-k and top-p, in the order transformers' logits processors apply them.
 */
public record SamplingSettings(double temperature, double topP, int topK, double repetitionPenalty, long seed) {

	public static final SamplingSettings GREEDY = new SamplingSettings(0, 1, 0, 1, 0);

	public SamplingSettings {
		GenerationOptions.checkSampling(temperature, topP, topK, repetitionPenalty);
	}

	public static SamplingSettings from(GenerationOptions options) {
		long seed = options.seed().orElseGet(() -> new SecureRandom().nextLong());
		return new SamplingSettings(options.temperature(), options.topP(), options.topK(), options.repetitionPenalty(),
				seed);
	}

	public boolean greedy() {
		return temperature == 0;
	}

}
