package dev.sightline.vision.batching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * The test double at the model boundary: answers every conversation with a fixed script, one "token" per piece,
 * honouring max tokens and cancellation, and records what it was asked. A gate can hold generation to fill the queue.
 */
public final class ScriptedVisionModel implements VisionLanguageModel {

	private final List<String> pieces;

	public final List<Conversation> received = Collections.synchronizedList(new ArrayList<>());

	public final List<GenerationOptions> options = Collections.synchronizedList(new ArrayList<>());

	public volatile CountDownLatch gate = new CountDownLatch(0);

	public volatile long pieceDelayMs;

	public volatile FinishReason lastFinishReason;

	public ScriptedVisionModel(List<String> pieces) {
		this.pieces = List.copyOf(pieces);
	}

	@Override
	public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
		received.add(conversation);
		this.options.add(options);
		try {
			gate.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		StringBuilder text = new StringBuilder();
		List<Integer> ids = new ArrayList<>();
		FinishReason finish = FinishReason.STOP;
		for (int i = 0; i < pieces.size(); i++) {
			if (ids.size() == options.maxNewTokens()) {
				finish = FinishReason.LENGTH;
				break;
			}
			sleep(pieceDelayMs);
			text.append(pieces.get(i));
			ids.add(100 + i);
			if (!listener.onText(pieces.get(i))) {
				finish = FinishReason.CANCELLED;
				break;
			}
		}
		lastFinishReason = finish;
		return new Generation(text.toString(), ids, finish, promptTokens(conversation), List.of(), 0, 1, 1);
	}

	/** One "token" per character of text and 4 per image: a deterministic count the tests can check. */
	public static int promptTokens(Conversation conversation) {
		int count = 0;
		for (Message message : conversation.messages()) {
			for (Part part : message.parts()) {
				count += switch (part) {
					case dev.sightline.vision.chat.TextPart t -> t.text().length();
					case ImagePart i -> 4;
					case dev.sightline.vision.chat.VideoPart v -> 4 * v.frames().size();
				};
			}
		}
		return count;
	}

	private static void sleep(long ms) {
		if (ms <= 0) {
			return;
		}
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public PixelBudget pixelBudget() {
		return PixelBudget.PUBLISHED;
	}

	@Override
	public String name() {
		return "scripted";
	}

}
