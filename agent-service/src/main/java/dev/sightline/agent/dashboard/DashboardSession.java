package dev.sightline.agent.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * What a dashboard browser's server-side session holds: the tenant it logged in as and its CSRF token. The API key
 * itself is never kept.
 */
public final class DashboardSession {

	/** Form field carrying the CSRF token on dashboard forms. */
	public static final String CSRF_PARAMETER = "_csrf";

	/** Header carrying the CSRF token on the page's own API calls. */
	public static final String CSRF_HEADER = "X-CSRF-Token";

	static final String TENANT = "sightline.dashboard.tenant";

	static final String CSRF = "sightline.dashboard.csrf";

	private static final SecureRandom RANDOM = new SecureRandom();

	private DashboardSession() {
	}

	/** The tenant this browser logged in as, if it did. */
	static Optional<String> tenant(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session != null && session.getAttribute(TENANT) instanceof String tenant ? Optional.of(tenant)
				: Optional.empty();
	}

	/** The session's CSRF token, creating the session and token on first use. */
	static String csrfToken(HttpServletRequest request) {
		HttpSession session = request.getSession(true);
		if (session.getAttribute(CSRF) instanceof String token) {
			return token;
		}
		String token = newToken();
		session.setAttribute(CSRF, token);
		return token;
	}

	/** Whether {@code supplied} is this session's CSRF token, compared in constant time. */
	static boolean csrfMatches(HttpServletRequest request, @Nullable String supplied) {
		HttpSession session = request.getSession(false);
		if (supplied == null || session == null || !(session.getAttribute(CSRF) instanceof String token)) {
			return false;
		}
		return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), supplied.getBytes(StandardCharsets.UTF_8));
	}

	/** The token of an unsafe request: the form field, else the header. */
	static @Nullable String suppliedCsrf(HttpServletRequest request) {
		String header = request.getHeader(CSRF_HEADER);
		return header != null ? header : request.getParameter(CSRF_PARAMETER);
	}

	/** Logs the browser in: a new session id (no fixation), the tenant and a fresh CSRF token. */
	static void logIn(HttpServletRequest request, String tenant) {
		request.getSession(true);
		request.changeSessionId();
		HttpSession session = request.getSession();
		session.setAttribute(TENANT, tenant);
		session.setAttribute(CSRF, newToken());
	}

	static void logOut(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
	}

	static boolean isSafe(String method) {
		return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
	}

	private static String newToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
