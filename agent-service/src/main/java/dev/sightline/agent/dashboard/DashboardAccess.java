package dev.sightline.agent.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

import dev.sightline.agent.security.ApiKeys;
import dev.sightline.agent.security.TenantFilter;

/**
 * Guards the dashboard's pages: resolves the tenant (the session's, or {@code local} in local mode), sends browsers
 * that have not logged in to the login page, and refuses unsafe requests without the session's CSRF token (in local
 * mode too: another site must not submit tasks through a local browser).
 */
final class DashboardAccess implements HandlerInterceptor {

	/** Request attribute holding the tenant of a dashboard request. */
	static final String TENANT = "sightline.dashboard.tenant";

	private final ApiKeys keys;

	DashboardAccess(ApiKeys keys) {
		this.keys = keys;
	}

	boolean localMode() {
		return keys.isEmpty();
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (!DashboardSession.isSafe(request.getMethod())
				&& !DashboardSession.csrfMatches(request, DashboardSession.suppliedCsrf(request))) {
			response.sendError(HttpStatus.FORBIDDEN.value(),
					"the form's CSRF token is missing or stale; reload the page and try again");
			return false;
		}
		if (request.getRequestURI().equals("/login")) {
			return true;
		}
		Optional<String> tenant = localMode() ? Optional.of(TenantFilter.LOCAL_TENANT)
				: DashboardSession.tenant(request);
		if (tenant.isEmpty()) {
			String next = request.getRequestURI()
					+ (request.getQueryString() == null ? "" : "?" + request.getQueryString());
			response.sendRedirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
			return false;
		}
		request.setAttribute(TENANT, tenant.get());
		return true;
	}

}
