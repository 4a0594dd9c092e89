package dev.sightline.vision.qwen.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The one token-by-token step of decoding (spec §7.4, §8.3), shared by the serving path
 * ({@code qwen.QwenDecoding}, one step per shared pass) and the reference loop ({@link GenerationLoop}): pick the
 * next token from the last logits, remember it for the repetition penalty, and tell whether a stop id or the
 * token limit ends generation there.
 */
public final class TokenPicker {

	private final Sampler sampler;

	private final Set<Integer> stopIds;

	private final int maxNewTokens;

	private final long[] seen;

	private int seenCount;

	private final List<Integer> generated = new ArrayList<>();

	/**
	 * @param promptIds the prompt, for the repetition penalty
	 * @param stopIds ids that end generation (included in the generated tokens)
	 * @param maxNewTokens most tokens to pick, at least 1
	 */
	public TokenPicker(long[] promptIds, Sampler sampler, Set<Integer> stopIds, int maxNewTokens) {
		if (maxNewTokens < 1) {
			throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
		}
		this.sampler = sampler;
		this.stopIds = stopIds;
		this.maxNewTokens = maxNewTokens;
		this.seen = Arrays.copyOf(promptIds, promptIds.length + maxNewTokens);
		this.seenCount = promptIds.length;
	}

	/** Picks the next token from {@code logits} (which the sampler may change in place) and records it. */
	public int pick(float[] logits) {
		int token = sampler.next(logits, seen, seenCount);
		append(token);
		return token;
	}

	/** Whether the sampler's pick is the plain argmax of the logits, which a pass may take on the device. */
	public boolean picksArgmax() {
		return sampler.picksArgmax();
	}

	/** Records a token picked elsewhere (the argmax a pass took on the device, when {@link #picksArgmax()}). */
	public void record(int token) {
		if (generated.size() >= maxNewTokens) {
			throw new IllegalStateException("the token limit of " + maxNewTokens + " is already reached");
		}
		append(token);
	}

	private void append(int token) {
		generated.add(token);
		seen[seenCount++] = token;
	}

	/** Whether {@code token} is a stop id: generation ends with it. */
	public boolean isStop(int token) {
		return stopIds.contains(token);
	}

	/** Whether the token limit is reached. */
	public boolean atLimit() {
		return generated.size() >= maxNewTokens;
	}

	/** Tokens still allowed. */
	public int remaining() {
		return maxNewTokens - generated.size();
	}

	/** The tokens picked so far, in order (a read-only view). */
	public List<Integer> generated() {
		return Collections.unmodifiableList(generated);
	}

	/** The prompt then the picked tokens. */
	public long[] seen() {
		return Arrays.copyOf(seen, seenCount);
	}

}
