/**
 * Webhooks: a task's {@code finished} and {@code awaiting_approval} events POSTed as the task view to the task's (or
 * its tenant's) URL, signed with HMAC-SHA256, retried with exponential back-off and jitter, logged per task. The URL
 * passes the browser's network policy through {@link dev.sightline.net.PinnedHttp}.
 */
@NullMarked
package dev.sightline.agent.webhook;

import org.jspecify.annotations.NullMarked;
