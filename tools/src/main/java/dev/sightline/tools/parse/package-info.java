/** Turns raw model text into actions and grounding points, tolerant of real Qwen2.5-VL outputs. */
@NullMarked
package dev.sightline.tools.parse;

import org.jspecify.annotations.NullMarked;
