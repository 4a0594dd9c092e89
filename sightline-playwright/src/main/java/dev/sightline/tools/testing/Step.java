package dev.sightline.tools.testing;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ScreenPoint;

/**
 * One call of the library during a test, for the HTML report.
 *
 * @param kind the method, e.g. {@code tap}, {@code assertThat}
 * @param instruction the test's words
 * @param startedAt when the step began
 * @param durationMs wall time of the whole step
 * @param passed false when the step threw
 * @param detail what happened: the point tapped, the model's reason, the query's JSON, the error
 * @param cacheHit whether a cached location answered without the model
 * @param modelCalls model requests this step made
 * @param screenshotPng the viewport as the step saw it (device px), or {@code null} when none was taken
 * @param viewportWidthPx viewport width in CSS px, to place markers on the screenshot
 * @param viewportHeightPx viewport height in CSS px
 * @param point where the step acted, in CSS px, or {@code null}
 * @param box the element's box in CSS px, or {@code null}
 */
public record Step(String kind, String instruction, Instant startedAt, long durationMs, boolean passed,
		String detail, boolean cacheHit, int modelCalls, byte @Nullable [] screenshotPng, int viewportWidthPx,
		int viewportHeightPx, @Nullable ScreenPoint point, @Nullable CssBox box) {
}
