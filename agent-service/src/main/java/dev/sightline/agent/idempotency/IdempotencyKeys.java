package dev.sightline.agent.idempotency;

import java.time.Duration;

/**
 * Where claimed keys live. A claim is atomic: of two concurrent claims of one key exactly one gets {@link Claimed}.
 */
public interface IdempotencyKeys {

	/** How long a key is remembered after its first use. */
	Duration TTL = Duration.ofHours(24);

	/** What a claim found. */
	sealed interface Claim {
	}

	/** The key was free (or expired) and now names {@code taskId}. */
	record Claimed() implements Claim {
	}

	/** The key is held, for a request with body hash {@code requestSha256}, by task {@code taskId}. */
	record Held(String taskId, String requestSha256) implements Claim {
	}

	/** Claims {@code key} of {@code tenant} for a new task {@code taskId} whose request hashes to the given value. */
	Claim claim(String tenant, String key, String requestSha256, String taskId);

	/** Frees the key if task {@code taskId} still holds it: that submit was refused, a retry must be able to try. */
	void release(String tenant, String key, String taskId);

}
