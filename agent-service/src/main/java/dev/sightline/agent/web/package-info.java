/** The REST API {@code /api/v1}: tasks, steps, screenshots, Server-Sent Events and one-shot grounding. */
@NullMarked
package dev.sightline.agent.web;

import org.jspecify.annotations.NullMarked;
