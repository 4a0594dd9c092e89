package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.OutputControls;
import dev.sightline.vision.chat.TokenLogprob;
import dev.sightline.vision.constrain.JsonConstraint;
import dev.sightline.vision.constrain.TokenTexts;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.qwen.generate.Logprobs;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.TokenPicker;
import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;
import dev.sightline.vision.tokenizer.StreamingDecoder;

/**
 * One request being generated step by step (spec §7.4, §8.3): picks each token from the logits it is given,
 * stops on a stop id, a stop string, the token limit or cancellation, and keeps the streamed text. The model pass
 * that produces the logits is someone else's ({@link QwenVl#step(List)}), so many of these can share one pass.
 * Model-independent: Qwen2.5-VL and Qwen3-VL sequences both sit behind it.
 *
 * @param <S> the model's sequence (KV cache and prompt state), closed with this
 */
public final class QwenDecoding<S extends QwenDecoding.Source> implements DecodingSequence {

	/** What a decoding needs of its model sequence. */
	public interface Source extends AutoCloseable {

		/** Time spent in the vision tower while preparing the prompt. */
		double visionMs();

		/** Vision blocks still to run before the prompt can be fed (0 when it has no images or they are encoded). */
		int visionBlocksLeft();

		/**
		 * Runs up to {@code maxBlocks} more vision blocks of the prompt; after the last it embeds the prompt.
		 * @return true when the prompt is ready to be fed
		 */
		boolean advanceVision(int maxBlocks);

		/** Prompt tokens whose keys and values came from a prefix cache instead of a prefill. */
		default int cachedPrefixTokens() {
			return 0;
		}

		/** Offers a prefix cache what this sequence computed for {@code tokens} (prompt, then generated ids). */
		default void retain(long[] tokens) {
		}

		/**
		 * Takes {@code leader}'s prompt, all cached, as this fresh sequence's own (a copy of its keys and values):
		 * the choices of one request share one prefill.
		 */
		default void shareFrom(Source leader) {
			throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot share a prompt");
		}

		@Override
		void close();

	}

	/**
	 * Steps a pending image request's vision encode is spread over while others are decoding (4 blocks per step for
	 * Qwen2.5-VL 3B's 32): the longest a new image stalls the running decodes is one step plus an eighth of the
	 * tower.
	 */
	public static final int VISION_STEPS = 8;

	/**
	 * Before a shared pass: the first request whose vision is pending gets {@code blocksPerStep} blocks while others
	 * have text to run, and all of them when nobody else is waiting for a pass. Beside others its prompt starts in
	 * the next step, so no step holds both its last blocks and its first prompt chunk. Same for every model family.
	 * @return the requests this step's pass feeds: all of {@code running} but the one that had its vision turn
	 *         beside others
	 */
	public static <D extends QwenDecoding<?>> List<D> advancePendingVision(List<D> running, int blocksPerStep) {
		boolean othersReady = running.stream().anyMatch(d -> d.sequence().visionBlocksLeft() == 0);
		for (D decoding : running) {
			if (decoding.sequence().visionBlocksLeft() > 0) {
				decoding.sequence().advanceVision(othersReady ? blocksPerStep : Integer.MAX_VALUE);
				if (othersReady) {
					List<D> feeding = new ArrayList<>(running);
					feeding.remove(decoding);
					return feeding;
				}
				break;
			}
		}
		return running;
	}

	private final S sequence;

	// The one per-token step (shared with GenerationLoop): pick, remember for the penalty, stop id, limit.
	private final TokenPicker picker;

	private final Set<Integer> stopIds;

	private final List<String> stops;

	private final StreamingDecoder decoder;

	private final int promptTokens;

	private final List<ImageSize> imageSizes;

	private final long preparedNanos;

	private double prefillMs;

	private final StringBuilder text = new StringBuilder();

	private int delivered;

	private FinishReason finish;

	private boolean stoppedByString;

	private long decodeStartNanos;

	private double decodeMs;

	private final OutputControls controls;

	private final IntFunction<TokenTexts> vocabulary;

	private final IntFunction<String> tokenText;

	// Created at the first pick, when the vocabulary size (the logits' length) is known.
	private JsonConstraint constraint;

	private final Map<Integer, Integer> counts = new HashMap<>();

	// Choices of the same request that wait for this one's prompt (n > 1): they fork at its first pick.
	private final List<QwenDecoding<S>> followers = new ArrayList<>();

	// The choice whose prompt this one takes, until it has (null for a choice that runs its own prompt).
	private QwenDecoding<S> leader;

	private final List<TokenLogprob> logprobs = new ArrayList<>();

	private int deliveredLogprobs;

	public QwenDecoding(S sequence, long[] promptIds, Sampler sampler, Set<Integer> stopIds, int maxNewTokens,
			List<String> stops, StreamingDecoder decoder, List<ImageSize> imageSizes) {
		this(sequence, promptIds, sampler, stopIds, maxNewTokens, stops, decoder, imageSizes, OutputControls.NONE,
				size -> {
					throw new IllegalStateException("no vocabulary without a grammar");
				}, id -> "");
	}

	/**
	 * @param controls penalties, log-probabilities and the answer grammar
	 * @param vocabulary the model's token texts for a vocabulary of the given size (asked for only with a grammar)
	 * @param tokenText the text of one token id (for log-probabilities)
	 */
	public QwenDecoding(S sequence, long[] promptIds, Sampler sampler, Set<Integer> stopIds, int maxNewTokens,
			List<String> stops, StreamingDecoder decoder, List<ImageSize> imageSizes, OutputControls controls,
			IntFunction<TokenTexts> vocabulary, IntFunction<String> tokenText) {
		this.controls = controls;
		this.vocabulary = vocabulary;
		this.tokenText = tokenText;
		this.picker = new TokenPicker(promptIds, sampler, stopIds, maxNewTokens);
		this.sequence = sequence;
		this.stopIds = stopIds;
		this.stops = stops;
		this.decoder = decoder;
		this.promptTokens = promptIds.length;
		this.imageSizes = imageSizes;
		this.preparedNanos = System.nanoTime();
	}

	public S sequence() {
		return sequence;
	}

	/** Tokens picked so far. */
	public int generatedCount() {
		return picker.generated().size();
	}

	/** The token the next model pass must feed once the prompt is in; 0 while it is not. */
	public long lastToken() {
		return picker.generated().isEmpty() ? 0 : picker.generated().getLast();
	}

	@Override
	public boolean prefilling() {
		return picker.generated().isEmpty() && finish == null;
	}

	/**
	 * Makes this fresh decoding another choice of {@code leader}'s prompt: it feeds nothing until the leader's
	 * prompt is cached, then takes a copy of it and picks its first token from the same logits (with its own
	 * sampler), so the prompt is prefilled once for all choices.
	 */
	public void follow(QwenDecoding<S> leader) {
		if (!picker.generated().isEmpty() || this.leader != null || leader.leader != null
				|| !leader.picker.generated().isEmpty()) {
			throw new IllegalStateException("only fresh decodings share a prompt, from a leader that has not started");
		}
		this.leader = leader;
		leader.followers.add(this);
	}

	/** True while this choice waits for its leader's prompt: it sits every pass out until then. */
	public boolean awaitingPrompt() {
		return leader != null && finish == null;
	}

	/**
	 * Whether the next token is the plain argmax of the logits (greedy, no penalty, no log-probabilities, no
	 * grammar), so the pass may pick it on the device and send back only its id ({@link #acceptPicked}) instead of
	 * the whole {@code [vocab]} row.
	 */
	public boolean picksArgmax() {
		// A leader whose choices wait for its prompt hands them its logits, so it keeps them.
		return picker.picksArgmax() && !controls.penalties() && controls.topLogprobs().isEmpty()
				&& controls.format().isEmpty() && followers.isEmpty();
	}

	/** Takes the token a pass picked on the device as the argmax of its logits; only when {@link #picksArgmax()}. */
	public void acceptPicked(int token) {
		if (!picksArgmax()) {
			throw new IllegalStateException("this sequence needs its logits: it samples, penalises or constrains");
		}
		started();
		picker.record(token);
		take(token);
	}

	private void started() {
		if (finish != null) {
			throw new IllegalStateException("the sequence already finished (" + finish.label() + ")");
		}
		if (picker.generated().isEmpty()) {
			// Time from a prepared prompt to its first token: its share of the passes it took part in.
			decodeStartNanos = System.nanoTime();
			prefillMs = (decodeStartNanos - preparedNanos) / 1e6;
		}
	}

	/** Picks the next token from the logits of the last fed position. */
	public void accept(float[] logits) {
		if (finish == null && picker.generated().isEmpty() && !followers.isEmpty()) {
			// The prompt is cached and these are its last position's logits: every waiting choice starts here.
			for (QwenDecoding<S> follower : followers) {
				follower.leader = null;
				if (!follower.finished()) {
					follower.sequence.shareFrom(sequence);
					follower.accept(logits.clone());
				}
			}
			followers.clear();
		}
		started();
		float[] raw = controls.topLogprobs().isPresent() ? logits.clone() : null;
		if (controls.penalties()) {
			Logprobs.penalise(logits, counts, controls.frequencyPenalty(), controls.presencePenalty());
		}
		if (controls.format().isPresent()) {
			if (constraint == null) {
				constraint = new JsonConstraint(controls.format().get(), vocabulary.apply(logits.length), stopIds);
			}
			constraint.mask(logits, picker.remaining());
		}
		int token = picker.pick(logits);
		if (constraint != null) {
			constraint.accept(token);
		}
		if (raw != null) {
			logprobs.add(Logprobs.of(raw, token, controls.topLogprobs().getAsInt(), tokenText));
		}
		take(token);
	}

	private void take(int token) {
		counts.merge(token, 1, Integer::sum);
		if (picker.isStop(token)) {
			end(FinishReason.STOP);
			return;
		}
		text.append(decoder.push(token));
		int cut = firstStop(text, stops);
		if (cut >= 0) {
			// Text already streamed past the cut cannot be taken back; the returned text ends at the cut.
			stoppedByString = true;
			text.setLength(cut);
			delivered = Math.min(delivered, cut);
			end(FinishReason.STOP);
			return;
		}
		if (picker.atLimit()) {
			end(FinishReason.LENGTH);
		}
	}

	@Override
	public String takeText() {
		if (delivered >= text.length()) {
			return "";
		}
		String piece = text.substring(delivered);
		delivered = text.length();
		return piece;
	}

	@Override
	public List<TokenLogprob> takeLogprobs() {
		if (deliveredLogprobs >= logprobs.size()) {
			return List.of();
		}
		List<TokenLogprob> piece = List.copyOf(logprobs.subList(deliveredLogprobs, logprobs.size()));
		deliveredLogprobs = logprobs.size();
		return piece;
	}

	@Override
	public boolean finished() {
		return finish != null;
	}

	@Override
	public void cancel() {
		if (finish == null) {
			end(FinishReason.CANCELLED);
		}
	}

	@Override
	public Generation generation() {
		if (finish == null) {
			throw new IllegalStateException("the sequence is still being generated");
		}
		List<Integer> generated = picker.generated();
		return new Generation(text.toString(), generated, finish, promptTokens, imageSizes,
				sequence.visionMs(), prefillMs, decodeMs, generated.size(), logprobs);
	}

	/** Prompt tokens that came from the prefix cache or from another choice's prompt. */
	@Override
	public int cachedPrefixTokens() {
		return sequence.cachedPrefixTokens();
	}

	@Override
	public void close() {
		try {
			// The next step of an agent repeats this prompt and answer: keep them for it.
			sequence.retain(picker.seen());
		}
		finally {
			sequence.close();
		}
	}

	private void end(FinishReason reason) {
		finish = reason;
		// Cancelled before its prompt was in: the choices waiting for it have nothing to start from.
		for (QwenDecoding<S> follower : followers) {
			follower.cancel();
		}
		followers.clear();
		if (!stoppedByString) {
			text.append(decoder.flush());
		}
		decodeMs = decodeStartNanos == 0 ? 0 : (System.nanoTime() - decodeStartNanos) / 1e6;
	}

	private static int firstStop(CharSequence text, List<String> stops) {
		int cut = -1;
		for (String stop : stops) {
			int at = stop.isEmpty() ? -1 : text.toString().indexOf(stop);
			if (at >= 0 && (cut < 0 || at < cut)) {
				cut = at;
			}
		}
		return cut;
	}

}
