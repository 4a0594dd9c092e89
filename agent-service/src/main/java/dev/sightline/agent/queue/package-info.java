/** Waiting and running tasks: a bounded queue (full → 429) drained by a fixed number of virtual-thread workers. */
@NullMarked
package dev.sightline.agent.queue;

import org.jspecify.annotations.NullMarked;
