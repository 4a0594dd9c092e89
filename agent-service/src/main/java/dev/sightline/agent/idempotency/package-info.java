/**
 * {@code Idempotency-Key} on {@code POST /api/v1/tasks}: a client that retries a submit (a timeout, a crashed CI
 * job) gets the task it already created instead of a second one. Keys are per tenant, held 24 h in the store (the
 * embedded database, or Redis in Redis mode) and claimed atomically, so two concurrent requests create one task.
 * Only a keyed hash of the request is kept ({@link dev.sightline.agent.idempotency.RequestHash}).
 */
@NullMarked
package dev.sightline.agent.idempotency;

import org.jspecify.annotations.NullMarked;
