package dev.sightline.agent.task;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.ScreenPoint;

/**
 * One recorded step of a task.
 *
 * @param n step number, from 1
 * @param rawOutput the model's answer verbatim (secrets appear only as placeholders)
 * @param action the first parsed action, secrets redacted; null when the answer could not be parsed
 * @param coordinates the point in every space: model image pixels, screenshot pixels, screen CSS pixels
 * @param timings milliseconds per phase
 * @param outcome what executing the action did, or why the step failed
 * @param screenshotBytes size of the stored PNG; 0 when none was kept
 * @param promptTokens tokens the model read for this step, summed over re-asks (0 when the backend does not say)
 * @param completionTokens tokens the model generated for this step, summed over re-asks
 */
public record Step(String taskId, int n, Instant startedAt, String rawOutput, @Nullable Action action,
		@Nullable Coordinates coordinates, StepTimings timings, String outcome, long screenshotBytes, int promptTokens,
		int completionTokens) {

	/** From JSON: steps stored before token counts existed (Redis) read with 0 tokens. */
	@JsonCreator
	static Step fromJson(@JsonProperty("taskId") String taskId, @JsonProperty("n") int n,
			@JsonProperty("startedAt") Instant startedAt, @JsonProperty("rawOutput") String rawOutput,
			@JsonProperty("action") @Nullable Action action,
			@JsonProperty("coordinates") @Nullable Coordinates coordinates, @JsonProperty("timings") StepTimings timings,
			@JsonProperty("outcome") String outcome, @JsonProperty("screenshotBytes") long screenshotBytes,
			@JsonProperty("promptTokens") @Nullable Integer promptTokens,
			@JsonProperty("completionTokens") @Nullable Integer completionTokens) {
		return new Step(taskId, n, startedAt, rawOutput, action, coordinates, timings, outcome, screenshotBytes,
				promptTokens == null ? 0 : promptTokens, completionTokens == null ? 0 : completionTokens);
	}

	/** A step without token counts (stores and tests that predate them). */
	public Step(String taskId, int n, Instant startedAt, String rawOutput, @Nullable Action action,
			@Nullable Coordinates coordinates, StepTimings timings, String outcome, long screenshotBytes) {
		this(taskId, n, startedAt, rawOutput, action, coordinates, timings, outcome, screenshotBytes, 0, 0);
	}

	/**
	 * A point in each pixel space the loop uses. The screen point is absent (null in JSON) when the model's point lies
	 * outside the image and maps to no screen point; steps stored with the former (-1, -1) marker read as absent.
	 */
	public record Coordinates(int modelXPx, int modelYPx, int modelImageWidthPx, int modelImageHeightPx,
			int screenshotWidthPx, int screenshotHeightPx, @Nullable Double screenXCssPx, @Nullable Double screenYCssPx) {

		public Coordinates {
			if (screenXCssPx == null || screenYCssPx == null || (screenXCssPx == -1 && screenYCssPx == -1)) {
				screenXCssPx = null;
				screenYCssPx = null;
			}
		}

		/** {@code screen} is null when the model point maps to no point of the screen. */
		public Coordinates(int modelXPx, int modelYPx, int modelImageWidthPx, int modelImageHeightPx,
				int screenshotWidthPx, int screenshotHeightPx, @Nullable ScreenPoint screen) {
			this(modelXPx, modelYPx, modelImageWidthPx, modelImageHeightPx, screenshotWidthPx, screenshotHeightPx,
					screen == null ? null : screen.xPx(), screen == null ? null : screen.yPx());
		}

		/** The screen point, when the model's point maps to one. */
		public Optional<ScreenPoint> screen() {
			return screenXCssPx == null || screenYCssPx == null ? Optional.empty()
					: Optional.of(new ScreenPoint(screenXCssPx, screenYCssPx));
		}

	}

}
