package dev.sightline.agent.dashboard;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.sightline.agent.security.ApiKeyAuthentication;
import dev.sightline.agent.security.ApiKeys;

/**
 * Login with an API key: Spring Security checks the key (the same provider as bearer requests), the session gets a
 * new id and CSRF token, and it then stands for the key's tenant. Logout is Spring Security's {@code POST /logout}.
 */
@Controller
class LoginController {

	static final String DEFAULT_PAGE = "/tasks";

	private final ApiKeys keys;

	private final AuthenticationManager authentication;

	private final SessionAuthenticationStrategy sessionStrategy;

	private final SecurityContextRepository contexts;

	LoginController(ApiKeys keys, AuthenticationManager authentication, SessionAuthenticationStrategy sessionStrategy,
			SecurityContextRepository contexts) {
		this.keys = keys;
		this.authentication = authentication;
		this.sessionStrategy = sessionStrategy;
		this.contexts = contexts;
	}

	@GetMapping("/login")
	String form(@RequestParam(required = false) @Nullable String next, Model model) {
		if (keys.isEmpty()) {
			return "redirect:" + DEFAULT_PAGE;
		}
		model.addAttribute("next", safeNext(next));
		return "dashboard/login";
	}

	@PostMapping("/login")
	String logIn(@RequestParam(defaultValue = "") String apiKey, @RequestParam(required = false) @Nullable String next,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		if (keys.isEmpty()) {
			return "redirect:" + DEFAULT_PAGE;
		}
		Authentication tenant;
		try {
			if (apiKey.isBlank()) {
				throw new org.springframework.security.authentication.BadCredentialsException("Enter an API key.");
			}
			tenant = authentication.authenticate(ApiKeyAuthentication.unchecked(apiKey.strip()));
		}
		catch (AuthenticationException e) {
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			model.addAttribute("next", safeNext(next));
			model.addAttribute("error", apiKey.isBlank() ? "Enter an API key."
					: "That API key is not valid. Keys are configured in sightline.security.api-keys as tenant=key.");
			return "dashboard/login";
		}
		sessionStrategy.onAuthentication(tenant, request, response);
		SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
		context.setAuthentication(tenant);
		SecurityContextHolder.getContextHolderStrategy().setContext(context);
		contexts.saveContext(context, request, response);
		return "redirect:" + safeNext(next);
	}

	/**
	 * Only a path of this site: a relative path whose URI has no scheme and no authority, made of printable ASCII (a tab
	 * or newline is dropped by browsers, so {@code /%09/evil.com} would become {@code //evil.com}), never
	 * {@code //host} or {@code /\host} (browsers read both as another host), never the login page itself.
	 */
	static String safeNext(@Nullable String next) {
		if (next == null || next.length() > 2048 || !next.startsWith("/") || next.startsWith("/login")) {
			return DEFAULT_PAGE;
		}
		for (int i = 0; i < next.length(); i++) {
			char c = next.charAt(i);
			if (c <= 0x20 || c >= 0x7f || c == '\\') {
				return DEFAULT_PAGE;
			}
		}
		if (next.startsWith("//")) {
			return DEFAULT_PAGE;
		}
		try {
			URI uri = new URI(next);
			if (uri.getScheme() != null || uri.getRawAuthority() != null) {
				return DEFAULT_PAGE;
			}
		}
		catch (URISyntaxException e) {
			return DEFAULT_PAGE;
		}
		return next;
	}

}
