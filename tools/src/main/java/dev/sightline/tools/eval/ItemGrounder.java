package dev.sightline.tools.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.OutOfScreenException;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.model.ModelImage;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.PngEncoder;

/**
 * Runs one item at one pixel budget: smart-resize the screenshot, ask the model the profile's grounding question,
 * read its point with the profile (in pixels of the resized image, whatever the family's own space), map it back to
 * original pixels with {@link CoordinateMapping} (spec §9.1) and judge it against the box.
 */
final class ItemGrounder {

	private static final GenerationOptions OPTIONS = GenerationOptions.GREEDY.withMaxNewTokens(128);

	private static final ImageDecoder DECODER = new ImageDecoder();

	private final VisionLanguageModel model;

	private final ModelProfile profile;

	ItemGrounder(VisionLanguageModel model, ModelProfile profile) {
		this.model = model;
		this.profile = profile;
	}

	ItemResult run(GroundingItem item, PixelBudget budget) {
		ImageSize size = item.imageSize();
		// The run's budget with the model's own factor (28 or 32).
		ImageSize modelSize = new ImageResize(budget, model.imageResize().factor()).size(size);
		Generation generation;
		long start = System.nanoTime();
		try {
			byte[] png = modelImage(Files.readAllBytes(item.image()), size, modelSize);
			Conversation question = profile.groundingPoint(item.instruction(), new ImagePart(png, Optional.of(budget)));
			generation = model.generate(question, OPTIONS);
		}
		catch (IOException | RuntimeException e) {
			double latencyMs = (System.nanoTime() - start) / 1e6;
			return result(item, budget, modelSize, null, null, Outcome.ERROR, latencyMs, 0, 0, "",
					e.getClass().getSimpleName() + ": " + e.getMessage());
		}
		double latencyMs = (System.nanoTime() - start) / 1e6;
		int outputTokens = generation.tokenIds().size();
		ModelPoint point;
		try {
			point = profile.parseGrounding(generation.text(), modelSize).point();
		}
		catch (UnparseableOutputException e) {
			return result(item, budget, modelSize, null, null, Outcome.WRONG_FORMAT, latencyMs,
					generation.promptTokens(), outputTokens, generation.text(), e.getMessage());
		}
		CoordinateMapping mapping = new CoordinateMapping(size, modelSize, 1.0);
		ScreenPoint original;
		try {
			original = mapping.toScreen(point);
		}
		catch (OutOfScreenException e) {
			// Still drawn on the misses page, so keep where it would have landed.
			original = new ScreenPoint((double) point.xPx() * size.widthPx() / modelSize.widthPx(),
					(double) point.yPx() * size.heightPx() / modelSize.heightPx());
			return result(item, budget, modelSize, point, original, Outcome.MISS, latencyMs, generation.promptTokens(),
					outputTokens, generation.text(), e.getMessage());
		}
		Outcome outcome = item.box().contains(original.xPx(), original.yPx()) ? Outcome.HIT : Outcome.MISS;
		return result(item, budget, modelSize, point, original, outcome, latencyMs, generation.promptTokens(),
				outputTokens, generation.text(), null);
	}

	private static ItemResult result(GroundingItem item, PixelBudget budget, ImageSize modelSize,
			@Nullable ModelPoint point, @Nullable ScreenPoint original, Outcome outcome, double latencyMs,
			int promptTokens, int outputTokens, String raw, @Nullable String error) {
		TargetBox box = item.box();
		return new ItemResult(item.id(), budget.maxPixels(), item.setting(), item.platform(), item.elementType(),
				item.instruction(), item.image().toAbsolutePath().toString(), item.imageSize().widthPx(),
				item.imageSize().heightPx(), modelSize.widthPx(), modelSize.heightPx(), box.leftPx(), box.topPx(),
				box.rightPx(), box.bottomPx(), point == null ? null : point.xPx(), point == null ? null : point.yPx(),
				original == null ? null : original.xPx(), original == null ? null : original.yPx(), outcome, latencyMs,
				promptTokens, outputTokens, raw, error);
	}

	/** The PNG the model gets; a JPEG set is re-encoded even at its own size, as the backends send PNG. */
	private static byte[] modelImage(byte[] encoded, ImageSize size, ImageSize modelSize) {
		boolean png = encoded.length > 8 && (encoded[0] & 0xff) == 0x89 && encoded[1] == 'P';
		if (!png && size.equals(modelSize)) {
			return PngEncoder.encode(DECODER.decode(encoded));
		}
		return ModelImage.resizedPng(encoded, size, modelSize);
	}

}
