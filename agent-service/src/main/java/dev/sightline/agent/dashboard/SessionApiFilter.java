package dev.sightline.agent.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.sightline.agent.security.TenantFilter;

/**
 * Lets a logged-in dashboard page call {@code /api/*} with its session cookie instead of a bearer key: it hands the
 * session's tenant to {@link TenantFilter}, and refuses unsafe methods whose {@code X-CSRF-Token} header is not the
 * session's token. Requests with an {@code Authorization} header are left to the tenant filter alone.
 */
final class SessionApiFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/") || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		var tenant = DashboardSession.tenant(request);
		if (tenant.isPresent()) {
			if (!DashboardSession.isSafe(request.getMethod())
					&& !DashboardSession.csrfMatches(request, request.getHeader(DashboardSession.CSRF_HEADER))) {
				response.setStatus(HttpStatus.FORBIDDEN.value());
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.getWriter()
					.write("{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"a session request that changes "
							+ "something must send the page's CSRF token in the " + DashboardSession.CSRF_HEADER
							+ " header\"}");
				return;
			}
			request.setAttribute(TenantFilter.SESSION_TENANT_ATTRIBUTE, tenant.get());
		}
		chain.doFilter(request, response);
	}

}
