package dev.sightline.agent.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after authorization: counts the request against its tenant's budget ({@link TenantRateLimiter}), answers 429
 * with Retry-After beyond it, and puts the tenant in the log context. Requests without a tenant never get here
 * (authorization refused them) or are public probes, which are not counted.
 */
final class RateLimitFilter extends OncePerRequestFilter {

	private final TenantRateLimiter limiter;

	private final Problems problems;

	RateLimitFilter(TenantRateLimiter limiter, Problems problems) {
		this.limiter = limiter;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> found = SecurityConfiguration.tenantOf(SecurityContextHolder.getContext().getAuthentication());
		if (found.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		String tenant = found.get();
		long waitSeconds = limiter.acquire(tenant);
		if (waitSeconds > 0) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
			problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
					"rate limit of sightline.security.requests-per-minute exceeded; retry in " + waitSeconds + " s");
			return;
		}
		MDC.put("tenant", tenant);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("tenant");
		}
	}

}
