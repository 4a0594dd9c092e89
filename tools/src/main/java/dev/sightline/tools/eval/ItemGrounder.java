package dev.sightline.tools.eval;

import java.io.IOException;
import java.nio.file.Files;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.OutOfScreenException;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.Located;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ImageResize;

/**
 * Runs one item at one pixel budget through the turn pipeline: the screenshot smart-resized to the budget (which
 * travels with the image), the profile's grounding question, its point read in pixels of the image the model saw and
 * mapped back to original pixels (spec §9.1), judged against the box.
 */
final class ItemGrounder {

	private static final GenerationOptions OPTIONS = GenerationOptions.GREEDY.withMaxNewTokens(128);

	private final TurnPipeline turns;

	ItemGrounder(VisionLanguageModel model, ModelProfile profile) {
		this.turns = new TurnPipeline(model, profile);
	}

	ItemResult run(GroundingItem item, PixelBudget budget) {
		// The run's budget with the model's own factor (28 or 32).
		ImageResize resize = new ImageResize(budget, turns.model().imageResize().factor());
		ImageSize modelSize = resize.size(item.imageSize());
		Reply reply;
		long start = System.nanoTime();
		try {
			ModelView view = ModelView.ofImage(Files.readAllBytes(item.image()), resize);
			modelSize = view.size();
			reply = turns.ask(Prompts.groundingPoint(turns.profile(), item.instruction(), view.image()), OPTIONS,
					view);
		}
		catch (IOException | RuntimeException e) {
			double latencyMs = (System.nanoTime() - start) / 1e6;
			return result(item, budget, modelSize, null, null, Outcome.ERROR, latencyMs, 0, 0, "",
					e.getClass().getSimpleName() + ": " + e.getMessage());
		}
		double latencyMs = reply.modelMs();
		int promptTokens = reply.generation().promptTokens();
		int outputTokens = reply.generation().tokenIds().size();
		Located located;
		try {
			located = turns.locate(reply);
		}
		catch (UnparseableOutputException e) {
			return result(item, budget, modelSize, null, null, Outcome.WRONG_FORMAT, latencyMs, promptTokens,
					outputTokens, reply.text(), e.getMessage());
		}
		ScreenPoint original;
		try {
			original = located.point();
		}
		catch (OutOfScreenException e) {
			// Still drawn on the misses page, so keep where it would have landed.
			return result(item, budget, modelSize, located.modelPoint(), located.projectedPoint(), Outcome.MISS,
					latencyMs, promptTokens, outputTokens, reply.text(), e.getMessage());
		}
		Outcome outcome = item.box().contains(original.xPx(), original.yPx()) ? Outcome.HIT : Outcome.MISS;
		return result(item, budget, modelSize, located.modelPoint(), original, outcome, latencyMs, promptTokens,
				outputTokens, reply.text(), null);
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

}
