/**
 * Files in and out of a task: files attached at submit (JSON {@code files} or a multipart submit), bounded, stored
 * with the task and offered to the page's file chooser; every download of a task kept as its artifact (name, size,
 * SHA-256, content type), listed and served by {@code GET /api/v1/tasks/{id}/files}.
 */
@NullMarked
package dev.sightline.agent.files;

import org.jspecify.annotations.NullMarked;
