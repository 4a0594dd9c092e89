/**
 * The one turn pipeline every caller takes (agent loop, ground endpoint, eval harness, test library): observe (the
 * executor's screenshot) → model view ({@link dev.sightline.tools.turn.ModelView}: smart-resized once, the size the
 * model sees travels with the image) → conversation (built in {@code dev.sightline.tools.prompt}) → model call
 * ({@link dev.sightline.tools.turn.TurnPipeline#ask}) → parse with the family's {@code ModelProfile} → actions and
 * points in screen space, mapped from the size the model reports it saw ({@code Generation.imageSizes()}), else the
 * computed one. {@link dev.sightline.tools.turn.TurnLoop} is the one agent loop on top of it, for a service task and the
 * test library's {@code ai.act}.
 */
@NullMarked
package dev.sightline.tools.turn;

import org.jspecify.annotations.NullMarked;
