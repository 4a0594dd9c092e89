/**
 * Where tasks, steps, screenshots and events live: {@link dev.sightline.agent.task.TaskStore}, embedded H2 with
 * Flyway migrations plus an artifact directory by default.
 */
@NullMarked
package dev.sightline.agent.store;

import org.jspecify.annotations.NullMarked;

import dev.sightline.agent.task.TaskStore;
