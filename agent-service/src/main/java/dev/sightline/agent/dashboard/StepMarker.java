package dev.sightline.agent.dashboard;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.task.Step;

/**
 * Where a step's action lands in pixels of its recorded screenshot: the model's point scaled from the model image
 * (which the screenshot was resized to) back to the screenshot. The page script computes the same.
 */
record StepMarker(double xPx, double yPx) {

	static @Nullable StepMarker of(Step.@Nullable Coordinates coordinates) {
		if (coordinates == null || coordinates.modelImageWidthPx() <= 0 || coordinates.modelImageHeightPx() <= 0) {
			return null;
		}
		return new StepMarker(
				coordinates.modelXPx() * (double) coordinates.screenshotWidthPx() / coordinates.modelImageWidthPx(),
				coordinates.modelYPx() * (double) coordinates.screenshotHeightPx() / coordinates.modelImageHeightPx());
	}

	StepMarker scaled(double factor) {
		return new StepMarker(xPx * factor, yPx * factor);
	}

}
