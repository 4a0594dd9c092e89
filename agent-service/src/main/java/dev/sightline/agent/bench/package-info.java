/** {@code ./sightline bench agent}: the loop's per-step overhead without model time. */
@NullMarked
package dev.sightline.agent.bench;

import org.jspecify.annotations.NullMarked;
