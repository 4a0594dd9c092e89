package dev.sightline.vision.batching;

import java.util.List;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.TokenLogprob;

/**
 * A runtime the scheduler can drive one step at a time, so that several requests share the model: a request is
 * started on its own (template, tokens, preprocessing: cheap, so admitting it never stalls the others; its vision
 * encode runs in later steps, a few blocks per step), then every step advances all running sequences together — those
 * still prefilling by the next chunk of their prompt, the others by one token (continuous batching with chunked
 * prefill). A runtime with a batched forward pass runs one pass per step for the whole batch (that is where the
 * throughput comes from, and a new prompt no longer stalls the running ones); one without it may step the sequences
 * one after another and still gets interleaving (every client makes progress).
 */
public interface BatchDecoder {

	/** Prepares one request (template, tokens, preprocessing); its vision encode and prompt run in later steps. */
	DecodingSequence start(Conversation conversation, GenerationOptions options);

	/**
	 * Prepares the choices of one request ({@code n} > 1), one per options: a runtime that can shares one prefill of
	 * the prompt between them; by default each is started on its own.
	 */
	default List<DecodingSequence> startChoices(Conversation conversation, List<GenerationOptions> options) {
		List<DecodingSequence> choices = new java.util.ArrayList<>();
		try {
			for (GenerationOptions choice : options) {
				choices.add(start(conversation, choice));
			}
		}
		catch (RuntimeException e) {
			choices.forEach(DecodingSequence::close);
			throw e;
		}
		return choices;
	}

	/**
	 * Advances each unfinished sequence of {@code batch}: one more token, or, while prefilling, the next chunk of
	 * its prompt (and its first token when the chunk ends the prompt).
	 * @param promptTokenBudget most prompt tokens this step feeds, over all prefilling sequences, in batch order
	 */
	void step(List<DecodingSequence> batch, int promptTokenBudget);

	/** The largest batch one step can take (memory bound); the scheduler never exceeds it. */
	int maxBatchSize();

	/** One request being generated; owned by the scheduler, which closes it. */
	interface DecodingSequence extends AutoCloseable {

		/** Text decoded since the last call (empty while a multi-byte character is incomplete). */
		String takeText();

		/** Prompt tokens whose keys and values this request did not compute (prefix cache, or another choice's). */
		default int cachedPrefixTokens() {
			return 0;
		}

		/** Log-probabilities of the tokens picked since the last call (empty unless they were asked for). */
		default List<TokenLogprob> takeLogprobs() {
			return List.of();
		}

		/** True until the whole prompt has been fed and the first token picked. */
		boolean prefilling();

		/** True after eos, a stop string, the token limit, or {@link #cancel()}. */
		boolean finished();

		/** Stops generation; {@link #generation()} then reports {@code cancelled}. */
		void cancel();

		/** The result; only once {@link #finished()}. */
		Generation generation();

		@Override
		void close();

	}

}
