package dev.sightline.tools.testing;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ScreenPoint;

/**
 * Where an element the test named is, in CSS pixels of the viewport.
 *
 * @param point where a tap lands: the model's point, or the centre of the cached element
 * @param box the element's box when known (the model gave a box, or the cache resolved the element)
 * @param selector a CSS selector of the element at the point, when the page has one there
 * @param fromCache whether the location came from the {@link LocationCache} without asking the model
 */
public record Location(ScreenPoint point, @Nullable CssBox box, @Nullable String selector, boolean fromCache) {
}
