package dev.sightline.agent.dashboard;

import org.jspecify.annotations.Nullable;

import dev.sightline.agent.task.Step;

/**
 * One step as the HTML report shows it.
 *
 * @param image the screenshot as a JPEG {@code data:} URL, null when none was kept or the size budget was spent
 * @param actionJson the parsed action as JSON, empty when the answer could not be parsed
 */
public record ReportStep(Step step, @Nullable String image, String actionJson) {
}
