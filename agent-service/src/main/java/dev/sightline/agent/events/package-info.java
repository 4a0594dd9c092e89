/** What happened to a task, as past-tense events: stored for replay and pushed to Server-Sent Events clients. */
@NullMarked
package dev.sightline.agent.events;

import org.jspecify.annotations.NullMarked;
