/**
 * What differs per model family: prompts, output grammar, coordinate space and history. The agent loop, the ground
 * endpoint, the eval harness and the test library take everything model-specific from a {@link ModelProfile}.
 */
@NullMarked
package dev.sightline.tools.profile;

import org.jspecify.annotations.NullMarked;
