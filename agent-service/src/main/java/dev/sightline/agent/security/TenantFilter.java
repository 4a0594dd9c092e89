package dev.sightline.agent.security;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resolves the tenant of every {@code /api/} request from {@code Authorization: Bearer KEY} (or the single
 * {@code local} tenant in local mode), applies the tenant's rate limit and the request size limit, and puts the tenant
 * in the request attribute {@link #TENANT_ATTRIBUTE} and the log context.
 */
public final class TenantFilter extends OncePerRequestFilter {

	public static final String TENANT_ATTRIBUTE = "sightline.tenant";

	public static final String LOCAL_TENANT = "local";

	/**
	 * Tenant of a logged-in dashboard browser (session cookie, CSRF-checked), set by the dashboard's filter before
	 * this one; a request attribute, so no client can set it. Used only when the request has no bearer key.
	 */
	public static final String SESSION_TENANT_ATTRIBUTE = "sightline.session-tenant";

	private final ApiKeys keys;

	private final TenantRateLimiter rateLimiter;

	private final long maxBodyBytes;

	private final JsonMapper json;

	public TenantFilter(ApiKeys keys, TenantRateLimiter rateLimiter, long maxBodyBytes, JsonMapper json) {
		this.keys = keys;
		this.rateLimiter = rateLimiter;
		this.maxBodyBytes = maxBodyBytes;
		this.json = json;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBodyBytes) {
			problem(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request too large", "request body has "
					+ request.getContentLengthLong() + " bytes, more than the limit of " + maxBodyBytes + " bytes");
			return;
		}
		Optional<String> tenant = keys.isEmpty() ? Optional.of(LOCAL_TENANT)
				: bearer(request).isPresent() ? bearer(request).flatMap(keys::tenantOf) : sessionTenant(request);
		if (tenant.isEmpty()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			problem(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
					bearer(request).isEmpty() ? "send 'Authorization: Bearer <API key>'" : "the API key is not valid");
			return;
		}
		long waitSeconds = rateLimiter.acquire(tenant.get());
		if (waitSeconds > 0) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(waitSeconds));
			problem(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
					"rate limit of sightline.security.requests-per-minute exceeded; retry in " + waitSeconds + " s");
			return;
		}
		request.setAttribute(TENANT_ATTRIBUTE, tenant.get());
		MDC.put("tenant", tenant.get());
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("tenant");
		}
	}

	private static Optional<String> sessionTenant(HttpServletRequest request) {
		return request.getAttribute(SESSION_TENANT_ATTRIBUTE) instanceof String tenant ? Optional.of(tenant)
				: Optional.empty();
	}

	private static Optional<String> bearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Optional.empty();
		}
		String key = header.substring(7).strip();
		return key.isEmpty() ? Optional.empty() : Optional.of(key);
	}

	private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title,
			String detail) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter().write(json.writeValueAsString(problem));
	}

}
