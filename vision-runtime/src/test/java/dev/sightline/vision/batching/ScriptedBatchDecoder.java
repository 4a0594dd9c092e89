package dev.sightline.vision.batching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * The test double at the model boundary for continuous batching: every sequence has a prompt of
 * {@code promptTokens} tokens, fed in chunks within each step's prompt budget, then emits "w0 w1 ..." up to its max
 * tokens, one word per step (the first with the step that ends its prompt). Every step records how many sequences
 * it advanced and how many prompt tokens it fed.
 */
final class ScriptedBatchDecoder implements VisionLanguageModel, BatchDecoder {

	final List<Integer> stepSizes = Collections.synchronizedList(new ArrayList<>());

	final List<Integer> promptTokensPerStep = Collections.synchronizedList(new ArrayList<>());

	/** Per step, whether every sequence that had finished its prompt before the step got a token in it. */
	final List<Boolean> runningAdvanced = Collections.synchronizedList(new ArrayList<>());

	private final int maxBatchSize;

	volatile int promptTokens = 3;

	volatile long stepDelayMs;

	ScriptedBatchDecoder(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	@Override
	public DecodingSequence start(Conversation conversation, GenerationOptions options) {
		if (conversation.messages().getLast().parts().isEmpty()) {
			throw new IllegalArgumentException("the last message is empty");
		}
		return new Sequence(options.maxNewTokens(), promptTokens);
	}

	@Override
	public void step(List<DecodingSequence> batch, int promptTokenBudget) {
		stepSizes.add(batch.size());
		if (stepDelayMs > 0) {
			try {
				Thread.sleep(stepDelayMs);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		int budget = promptTokenBudget;
		boolean advancedAll = true;
		for (DecodingSequence member : batch) {
			Sequence sequence = (Sequence) member;
			if (sequence.promptLeft > 0) {
				int fed = Math.min(sequence.promptLeft, budget);
				budget -= fed;
				sequence.promptLeft -= fed;
				if (sequence.promptLeft == 0) {
					sequence.advance();
				}
			}
			else {
				int before = sequence.ids.size();
				sequence.advance();
				advancedAll &= sequence.ids.size() == before + 1 || sequence.finished();
			}
		}
		promptTokensPerStep.add(promptTokenBudget - budget);
		runningAdvanced.add(advancedAll);
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

		private FinishReason finish;

		private int promptLeft;

		Sequence(int maxTokens, int promptTokens) {
			this.maxTokens = maxTokens;
			this.promptLeft = promptTokens;
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
				finish = FinishReason.LENGTH;
			}
		}

		@Override
		public String takeText() {
			String out = pending.toString();
			pending.setLength(0);
			return out;
		}

		@Override
		public boolean prefilling() {
			return promptLeft > 0 && finish == null;
		}

		@Override
		public boolean finished() {
			return finish != null;
		}

		@Override
		public void cancel() {
			if (finish == null) {
				finish = FinishReason.CANCELLED;
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
