/**
 * The Playwright test library: natural-language steps ({@link dev.sightline.tools.testing.SightlineAi#tap}),
 * assertions, typed queries and bounded agent runs on a test's own {@link com.microsoft.playwright.Page}, grounded by
 * Qwen2.5-VL on screenshots, with a {@link dev.sightline.tools.testing.LocationCache} so reruns of an unchanged page
 * need no model, and the {@link dev.sightline.tools.testing.UseSightline} JUnit 5 extension with HTML reports.
 */
@NullMarked
package dev.sightline.tools.testing;

import org.jspecify.annotations.NullMarked;
