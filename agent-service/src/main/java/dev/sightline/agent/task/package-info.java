/** What a task is: its request, status, steps and the service that creates, reads and cancels tasks. */
@NullMarked
package dev.sightline.agent.task;

import org.jspecify.annotations.NullMarked;
