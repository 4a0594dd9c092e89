package dev.sightline.vision.qwen.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from float32 logits (spec §8.3). Greedy takes the first maximum (like {@code argmax}).
 * The repetition penalty covers every id seen so far, prompt included (spec §11.4 item 16).
 */
public final class Sampler {

	private final SamplingSettings settings;

	private final SplittableRandom random;

	public Sampler(SamplingSettings settings) {
		this.settings = settings;
		this.random = new SplittableRandom(settings.seed());
	}

	/**
	 * @param logits scores of the vocabulary; modified in place by the penalty
	 * @param seen ids already in the sequence (prompt and generated), for the repetition penalty
	 */
	public int next(float[] logits, long[] seen, int seenCount) {
		if (settings.repetitionPenalty() != 1) {
			penalise(logits, seen, seenCount, (float) settings.repetitionPenalty());
		}
		if (settings.greedy()) {
			return argmax(logits);
		}
		return sample(logits);
	}

	/**
	 * True when {@link #next} is the first maximum of the raw logits (greedy without a repetition penalty): the
	 * same as {@code torch.argmax}, which returns the first maximal index, so a pass may pick it on the device.
	 */
	public boolean picksArgmax() {
		return settings.greedy() && settings.repetitionPenalty() == 1;
	}

	public static int argmax(float[] logits) {
		int best = 0;
		for (int i = 1; i < logits.length; i++) {
			if (logits[i] > logits[best]) {
				best = i;
			}
		}
		return best;
	}

	/**
	 * Token ids by falling score, ties by rising id. Each (score, id) pair is packed into one long so a primitive
	 * sort does the work: sorting 151936 boxed ids with a comparator took tens of milliseconds per token.
	 */
	static int[] descending(float[] logits) {
		long[] keys = new long[logits.length];
		for (int i = 0; i < logits.length; i++) {
			int bits = Float.floatToIntBits(logits[i]);
			int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // compares as the floats do
			keys[i] = ((long) ~ordered << 32) | i;
		}
		Arrays.sort(keys);
		int[] order = new int[keys.length];
		for (int i = 0; i < keys.length; i++) {
			order[i] = (int) keys[i];
		}
		return order;
	}

	/** transformers' RepetitionPenaltyLogitsProcessor: divide positive scores, multiply negative ones, once per id. */
	static void penalise(float[] logits, long[] seen, int seenCount, float penalty) {
		boolean[] done = new boolean[logits.length];
		for (int i = 0; i < seenCount; i++) {
			int id = (int) seen[i];
			if (id < 0 || id >= logits.length || done[id]) {
				continue;
			}
			done[id] = true;
			logits[id] = logits[id] > 0 ? logits[id] / penalty : logits[id] * penalty;
		}
	}

	private int sample(float[] logits) {
		int n = logits.length;
		int[] order = descending(logits);
		int keep = settings.topK() > 0 ? Math.min(settings.topK(), n) : n;
		double max = logits[order[0]];
		double[] probs = new double[keep];
		double sum = 0;
		for (int i = 0; i < keep; i++) {
			probs[i] = Math.exp((logits[order[i]] - max) / settings.temperature());
			sum += probs[i];
		}
		// Nucleus: the smallest prefix whose mass reaches top_p (at least one token).
		double mass = 0;
		int nucleus = keep;
		for (int i = 0; i < keep; i++) {
			mass += probs[i] / sum;
			if (mass >= settings.topP()) {
				nucleus = i + 1;
				break;
			}
		}
		double total = 0;
		for (int i = 0; i < nucleus; i++) {
			total += probs[i];
		}
		double draw = random.nextDouble() * total;
		for (int i = 0; i < nucleus; i++) {
			draw -= probs[i];
			if (draw < 0) {
				return order[i];
			}
		}
		return order[nucleus - 1];
	}

}
