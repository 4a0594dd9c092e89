package dev.sightline.vision.qwen.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import dev.sightline.vision.chat.TokenLogprob;

/** Log-probabilities of a pick under raw logits (log-softmax in double, max subtracted first). */
public final class Logprobs {

	private Logprobs() {
	}

	/**
	 * @param logits the step's raw logits (not modified)
	 * @param top how many most likely alternatives to report (0 for none)
	 * @param text the text of a token id
	 */
	public static TokenLogprob of(float[] logits, int token, int top, IntFunction<String> text) {
		double max = Double.NEGATIVE_INFINITY;
		for (float logit : logits) {
			max = Math.max(max, logit);
		}
		double sum = 0;
		for (float logit : logits) {
			sum += Math.exp(logit - max);
		}
		double logZ = max + Math.log(sum);
		List<TokenLogprob.Alternative> alternatives = new ArrayList<>(top);
		if (top > 0) {
			int[] order = Sampler.descending(logits);
			for (int i = 0; i < Math.min(top, order.length); i++) {
				alternatives.add(new TokenLogprob.Alternative(order[i], text.apply(order[i]), logits[order[i]] - logZ));
			}
		}
		return new TokenLogprob(token, text.apply(token), logits[token] - logZ, alternatives);
	}

	/**
	 * OpenAI's frequency and presence penalties (vLLM's too): over the completion's own tokens only, the prompt
	 * excluded — unlike the repetition penalty, which covers both.
	 * @param counts how often each id was generated so far
	 */
	public static void penalise(float[] logits, java.util.Map<Integer, Integer> counts, double frequency,
			double presence) {
		for (var entry : counts.entrySet()) {
			int id = entry.getKey();
			if (id >= 0 && id < logits.length) {
				logits[id] -= (float) (frequency * entry.getValue() + presence);
			}
		}
	}

}
