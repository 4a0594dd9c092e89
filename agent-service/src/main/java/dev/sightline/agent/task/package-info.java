/**
 * What a task is and what happens to it: its request, status and steps, the {@link dev.sightline.agent.task.TaskStore}
 * port the stores implement, the past-tense {@link dev.sightline.agent.task.TaskEvent}s (stored for replay, pushed to
 * Server-Sent Events clients) and the service that creates, reads and cancels tasks. Its errors are typed
 * ({@link dev.sightline.agent.task.TaskException}); only the web layer turns them into HTTP statuses.
 */
@NullMarked
package dev.sightline.agent.task;

import org.jspecify.annotations.NullMarked;
