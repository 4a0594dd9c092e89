package dev.sightline.tools.parse;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;

/**
 * One element of a grounding answer (spec §9.2): the point to act on (a box's centre when the model gave a box), the
 * box itself when given, and its label or OCR text.
 */
public record Grounding(ModelPoint point, @Nullable ModelBox box, @Nullable String label) {
}
