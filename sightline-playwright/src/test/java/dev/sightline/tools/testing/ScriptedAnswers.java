package dev.sightline.tools.testing;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * What a grounding model would answer for an element of the page: its box in pixels of the smart-resized screenshot
 * the model sees, read from the real layout so the scripted answer stays honest when the page's CSS changes.
 */
final class ScriptedAnswers {

	private ScriptedAnswers() {
	}

	static CoordinateMapping mapping(Page page) {
		double dpr = ((Number) page.evaluate("() => window.devicePixelRatio")).doubleValue();
		var viewport = page.viewportSize();
		ImageSize screenshot = new ImageSize((int) Math.round(viewport.width * dpr),
				(int) Math.round(viewport.height * dpr));
		return CoordinateMapping.forScreenshot(screenshot, dpr, PixelBudget.PUBLISHED);
	}

	/** {@code [{"bbox_2d": [x1, y1, x2, y2], "label": ...}]} of the element {@code selector} matches. */
	static Reply bboxOf(Page page, String selector, String label) {
		BoundingBox box = page.locator(selector).boundingBox();
		CoordinateMapping mapping = mapping(page);
		ModelPoint topLeft = mapping.toModel(new ScreenPoint(box.x, box.y));
		ModelPoint bottomRight = mapping.toModel(new ScreenPoint(box.x + box.width - 1, box.y + box.height - 1));
		return Reply.text("```json\n[\n\t{\"bbox_2d\": [" + topLeft.xPx() + ", " + topLeft.yPx() + ", "
				+ bottomRight.xPx() + ", " + bottomRight.yPx() + "], \"label\": \"" + label + "\"}\n]\n```");
	}

	/** The model-pixel centre of the element, for scripted {@code computer_use} calls. */
	static ModelPoint centreOf(Page page, String selector) {
		BoundingBox box = page.locator(selector).boundingBox();
		return mapping(page).toModel(new ScreenPoint(box.x + box.width / 2, box.y + box.height / 2));
	}

}
