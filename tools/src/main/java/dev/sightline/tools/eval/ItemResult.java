package dev.sightline.tools.eval;

import org.jspecify.annotations.Nullable;

/**
 * One item run at one pixel budget: one line of {@code results.jsonl}.
 *
 * @param id the item's id
 * @param maxPixels the {@code max_pixels} budget the image was resized into
 * @param setting how the screenshot was taken (viewport and DPR, or the image size)
 * @param imageWidthPx original image width; {@code box*} and {@code predicted*} are in this frame
 * @param modelWidthPx width of the smart-resized image the model saw; {@code modelX/Y} are in this frame
 * @param modelXPx the point the model answered, or {@code null} when it gave none
 * @param predictedXPx the point mapped back to original pixels: {@code modelX * imageWidth / modelWidth}
 * @param latencyMs wall time of the model call
 * @param promptTokens prompt tokens as the backend reports them (0 when it does not)
 * @param outputTokens generated tokens (0 when the backend does not report them)
 * @param error why the item failed, for {@link Outcome#WRONG_FORMAT} and {@link Outcome#ERROR}
 */
public record ItemResult(String id, long maxPixels, String setting, String platform, String elementType,
		String instruction, String image, int imageWidthPx, int imageHeightPx, int modelWidthPx, int modelHeightPx,
		double boxLeftPx, double boxTopPx, double boxRightPx, double boxBottomPx, @Nullable Integer modelXPx,
		@Nullable Integer modelYPx, @Nullable Double predictedXPx, @Nullable Double predictedYPx, Outcome outcome,
		double latencyMs, int promptTokens, int outputTokens, String rawOutput, @Nullable String error) {

	/** Key of a run in the result file: the same item at another budget is another run. */
	public String key() {
		return key(id, maxPixels);
	}

	static String key(String id, long maxPixels) {
		return id + "@" + maxPixels;
	}

	public boolean hit() {
		return outcome == Outcome.HIT;
	}

}
