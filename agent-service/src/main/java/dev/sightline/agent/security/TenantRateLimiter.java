package dev.sightline.agent.security;

/**
 * The request budget of each tenant ({@code sightline.security.requests-per-minute}). {@link RateLimiter} counts in
 * this replica; Redis mode replaces it with one that counts across replicas.
 */
public interface TenantRateLimiter {

	/** 0 when the tenant may make a request now (and counts it), else the seconds to wait (Retry-After). */
	long acquire(String tenant);

}
