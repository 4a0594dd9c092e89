package dev.sightline.vision.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * The test double at the model boundary for continuous batching: every sequence emits "w0 w1 ..." up to its max
 * tokens, one word per step, and every decode step records how many sequences it advanced.
 */
final class ScriptedBatchDecoder implements VisionLanguageModel, BatchDecoder {

	final List<Integer> stepSizes = Collections.synchronizedList(new ArrayList<>());

	private final int maxBatchSize;

	volatile long stepDelayMs;

	ScriptedBatchDecoder(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	@Override
	public DecodingSequence prefill(Conversation conversation, GenerationOptions options) {
		if (conversation.messages().getLast().parts().isEmpty()) {
			throw new IllegalArgumentException("the last message is empty");
		}
		Sequence sequence = new Sequence(options.maxNewTokens());
		sequence.advance();
		return sequence;
	}

	@Override
	public void decodeStep(List<DecodingSequence> batch) {
		stepSizes.add(batch.size());
		if (stepDelayMs > 0) {
			try {
				Thread.sleep(stepDelayMs);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		batch.forEach(s -> ((Sequence) s).advance());
	}

	@Override
	public int maxBatchSize() {
		return maxBatchSize;
	}

	@Override
	public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
		throw new UnsupportedOperationException("the scheduler drives this model step by step");
	}

	@Override
	public PixelBudget pixelBudget() {
		return PixelBudget.PUBLISHED;
	}

	@Override
	public String name() {
		return "scripted-batch";
	}

	private static final class Sequence implements DecodingSequence {

		private final int maxTokens;

		private final List<Integer> ids = new ArrayList<>();

		private final StringBuilder text = new StringBuilder();

		private final StringBuilder pending = new StringBuilder();

		private String finish;

		Sequence(int maxTokens) {
			this.maxTokens = maxTokens;
		}

		void advance() {
			if (finish != null) {
				return;
			}
			String word = "w" + ids.size() + " ";
			ids.add(ids.size());
			text.append(word);
			pending.append(word);
			if (ids.size() == maxTokens) {
				finish = "length";
			}
		}

		@Override
		public String takeText() {
			String out = pending.toString();
			pending.setLength(0);
			return out;
		}

		@Override
		public boolean finished() {
			return finish != null;
		}

		@Override
		public void cancel() {
			if (finish == null) {
				finish = "cancelled";
			}
		}

		@Override
		public Generation generation() {
			return new Generation(text.toString(), ids, finish, 3, List.of(), 0, 1, 1);
		}

		@Override
		public void close() {
		}

	}

}
