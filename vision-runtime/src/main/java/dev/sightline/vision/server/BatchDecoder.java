package dev.sightline.vision.server;

import java.util.List;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;

/**
 * A runtime the scheduler can drive one decode step at a time, so that several requests share the model: each
 * request is prefilled on its own, then every step advances all running sequences together. A runtime with a
 * batched forward pass runs one pass per step for the whole batch (that is where the throughput comes from); one
 * without it may step the sequences one after another and still gets interleaving (every client makes progress).
 */
public interface BatchDecoder {

	/** Runs vision, prompt and the first token of one request. */
	DecodingSequence prefill(Conversation conversation, GenerationOptions options);

	/** Generates one more token for each unfinished sequence of {@code batch}. */
	void decodeStep(List<DecodingSequence> batch);

	/** The largest batch one step can take (memory bound); the scheduler never exceeds it. */
	int maxBatchSize();

	/** One request being generated; owned by the scheduler, which closes it. */
	interface DecodingSequence extends AutoCloseable {

		/** Text decoded since the last call (empty while a multi-byte character is incomplete). */
		String takeText();

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
