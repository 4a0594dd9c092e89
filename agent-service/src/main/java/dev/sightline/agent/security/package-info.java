/** Tenants, API keys (hashed), rate and concurrency limits, local mode, and the secrets of tasks. */
@NullMarked
package dev.sightline.agent.security;

import org.jspecify.annotations.NullMarked;
