/**
 * Grounding evaluation: reads ScreenSpot / ScreenSpot-v2 / ScreenSpot-Pro sets, runs grounding through any
 * {@code VisionLanguageModel}, reports accuracy and latency per setting, and generates sets from local pages.
 */
@NullMarked
package dev.sightline.tools.eval;

import org.jspecify.annotations.NullMarked;
