package dev.sightline.agent.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.SecuritySettings;

/**
 * Who may call what, on Spring Security: one filter chain per surface, each with {@code authorizeHttpRequests} rules on
 * the servlet path (so {@code /%61pi/...} or {@code /api;x/...} meet the same rules as {@code /api/...}, and the
 * default {@code StrictHttpFirewall} refuses encoded slashes, {@code ;}, {@code //} and {@code ..} first, answered as
 * problem+json).
 * <ul>
 * <li><b>API</b> ({@code /api/**}): {@code Authorization: Bearer KEY} or a logged-in dashboard session (then with the
 * page's CSRF token on unsafe methods); the tenant's rate limit after authorization.</li>
 * <li><b>Operations</b> (actuator, OpenAPI, Swagger UI): the same credentials, except the liveness and readiness
 * probes, which are public.</li>
 * <li><b>Dashboard</b> (everything else): session login with an API key at {@code /login}, CSRF on every form.</li>
 * </ul>
 * Local mode (no keys): one tenant {@value CurrentTenant#LOCAL} without keys, served on loopback only; the service
 * refuses to start on another address, and requests must name a loopback host (and come from this server's own pages
 * when they carry an Origin).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	/** Request bodies larger than this are refused with 413; grounding images are the largest legitimate bodies. */
	public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

	/** What every authenticated caller (an API key, a logged-in session, the local tenant) holds. */
	public static final String TENANT_AUTHORITY = "TENANT";

	private static final String[] OPERATIONS = { "/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**",
			"/swagger-ui.html" };

	private static final String[] PROBES = { "/actuator/health/liveness", "/actuator/health/readiness" };

	/** The login page's assets and the error page: public so the login page renders. */
	private static final String[] PUBLIC_ASSETS = { "/dashboard/**", "/webjars/**", "/favicon.ico", "/error" };

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	/** The tenant of an authentication that holds {@link #TENANT_AUTHORITY}; empty for anyone else. */
	public static Optional<String> tenantOf(@Nullable Authentication authentication) {
		if (authentication == null || !(authentication.getPrincipal() instanceof String tenant) || authentication
			.getAuthorities()
			.stream()
			.noneMatch(authority -> TENANT_AUTHORITY.equals(authority.getAuthority()))) {
			return Optional.empty();
		}
		return Optional.of(tenant);
	}

	@Bean
	ApiKeys apiKeys(SecuritySettings settings) {
		return ApiKeys.parse(settings.apiKeys());
	}

	@Bean
	SecretVault secretVault() {
		return new SecretVault();
	}

	/** Embedded mode keeps secrets in this process; Redis mode supplies a {@code @Primary} hand-off through Redis. */
	@Bean
	SecretHandOff secretHandOff() {
		return SecretHandOff.inProcess();
	}

	/** Counts in this replica; Redis mode supplies a {@code @Primary} limiter that counts across replicas. */
	@Bean
	@ConditionalOnMissingBean(TenantRateLimiter.class)
	RateLimiter rateLimiter(SecuritySettings settings) {
		return new RateLimiter(settings.requestsPerMinute(), System::nanoTime);
	}

	@Bean
	Problems securityProblems(JsonMapper json) {
		return new Problems(json);
	}

	/** Checks API keys, for bearer requests and the dashboard's login form alike. */
	@Bean
	AuthenticationManager apiKeyAuthenticationManager(ApiKeys keys) {
		return new ProviderManager(new ApiKeyAuthenticationProvider(keys));
	}

	@Bean
	CsrfTokenRepository csrfTokenRepository() {
		return new HttpSessionCsrfTokenRepository();
	}

	@Bean
	SecurityContextRepository securityContextRepository() {
		return new HttpSessionSecurityContextRepository();
	}

	/** What a successful dashboard login does to the session: a new id (no fixation) and a new CSRF token. */
	@Bean
	SessionAuthenticationStrategy loginSessionStrategy(CsrfTokenRepository csrfTokens) {
		return new CompositeSessionAuthenticationStrategy(List.of(new ChangeSessionIdAuthenticationStrategy(),
				new CsrfAuthenticationStrategy(csrfTokens)));
	}

	/** Firewall refusals ({@code StrictHttpFirewall}, the default) as problem+json instead of a bare 400. */
	@Bean
	RequestRejectedHandler requestRejectedHandler(Problems problems) {
		return (request, response, e) -> problems.write(request, response, HttpStatus.BAD_REQUEST,
				"Rejected request path", "the request was refused before routing: " + e.getMessage()
						+ ". Send a normalized path without encoded slashes, ';', '//' or '..'");
	}

	/**
	 * Tomcat refuses {@code %2F} in a path itself, with an HTML 400 before any filter runs; passed through, the
	 * firewall refuses it with a problem+json body instead (encoded slashes never reach routing either way).
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
		return factory -> factory.addConnectorCustomizers(connector -> {
			connector.setEncodedSolidusHandling("passthrough");
			connector.setEncodedReverseSolidusHandling("passthrough");
		});
	}

	/** Counts every request body as it is read, chunked ones included; before the security filters. */
	@Bean
	FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(Problems problems) {
		FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(
				new BodyLimitFilter(MAX_BODY_BYTES, problems));
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	@Order(1)
	SecurityFilterChain apiChain(HttpSecurity http, ApiKeys keys, AuthenticationManager authentication,
			TenantRateLimiter limiter, Problems problems, CsrfTokenRepository csrfTokens) throws Exception {
		http.securityMatcher("/api/**");
		machineClients(http, keys, authentication, problems, csrfTokens);
		http.authorizeHttpRequests(rules -> rules.anyRequest().hasAuthority(TENANT_AUTHORITY));
		http.addFilterAfter(new RateLimitFilter(limiter, problems), AuthorizationFilter.class);
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain operationsChain(HttpSecurity http, ApiKeys keys, AuthenticationManager authentication,
			Problems problems, CsrfTokenRepository csrfTokens) throws Exception {
		http.securityMatcher(OPERATIONS);
		machineClients(http, keys, authentication, problems, csrfTokens);
		http.authorizeHttpRequests(rules -> rules.requestMatchers(PROBES)
			.permitAll()
			.anyRequest()
			.hasAuthority(TENANT_AUTHORITY));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain dashboardChain(HttpSecurity http, ApiKeys keys, Problems problems,
			CsrfTokenRepository csrfTokens) throws Exception {
		common(http, keys, problems);
		http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens));
		http.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl(keys.isEmpty() ? "/tasks" : "/login"));
		http.exceptionHandling(e -> e.authenticationEntryPoint(loginRedirect()).accessDeniedHandler(accessDenied(problems)));
		http.authorizeHttpRequests(rules -> rules.requestMatchers(PUBLIC_ASSETS)
			.permitAll()
			.requestMatchers("/login")
			.permitAll()
			.anyRequest()
			.hasAuthority(TENANT_AUTHORITY));
		return http.build();
	}

	/**
	 * What the chains for machine clients (the API, operations) share: bearer keys (or the dashboard's session with its
	 * CSRF token), no sessions of their own, problem+json answers for 401 and 403.
	 */
	private static void machineClients(HttpSecurity http, ApiKeys keys, AuthenticationManager authentication,
			Problems problems, CsrfTokenRepository csrfTokens) throws Exception {
		common(http, keys, problems);
		bearerKeys(http, authentication, problems);
		sessionCsrf(http, csrfTokens);
		http.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER));
		http.exceptionHandling(e -> e.authenticationEntryPoint(apiEntryPoint(problems))
			.accessDeniedHandler(accessDenied(problems)));
	}

	/**
	 * What every chain shares: local mode's loopback guard and tenant, and no Spring default login pages (Spring
	 * Security's default headers stay: no framing, no sniffing, no caching).
	 */
	private static void common(HttpSecurity http, ApiKeys keys, Problems problems) throws Exception {
		http.httpBasic(basic -> basic.disable()).formLogin(form -> form.disable());
		if (keys.isEmpty()) {
			http.addFilterBefore(new LoopbackOnlyFilter(problems), SecurityContextHolderFilter.class);
			// Every request that passed the loopback guard is the local tenant.
			http.anonymous(anonymous -> anonymous.principal(CurrentTenant.LOCAL).authorities(TENANT_AUTHORITY));
		}
	}

	private static void bearerKeys(HttpSecurity http, AuthenticationManager authentication, Problems problems) {
		AuthenticationFilter bearer = new AuthenticationFilter(authentication, SecurityConfiguration::bearerKey);
		bearer.setSuccessHandler((request, response, result) -> {
			// Go on to the endpoint; an API call is not a login that redirects.
		});
		bearer.setFailureHandler((request, response, e) -> unauthorized(problems, request, response, e));
		http.addFilterBefore(bearer, AnonymousAuthenticationFilter.class);
	}

	/**
	 * CSRF applies to requests a browser session authenticates: unsafe methods without an {@code Authorization} header
	 * on a request that has a session. Bearer requests carry their credential in a header no other site can set.
	 */
	private static void sessionCsrf(HttpSecurity http, CsrfTokenRepository csrfTokens) throws Exception {
		RequestMatcher sessionUnsafe = request -> !isSafe(request.getMethod())
				&& request.getHeader(HttpHeaders.AUTHORIZATION) == null && request.getSession(false) != null;
		http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).requireCsrfProtectionMatcher(sessionUnsafe));
	}

	private static boolean isSafe(String method) {
		return HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method) || HttpMethod.OPTIONS.matches(method)
				|| HttpMethod.TRACE.matches(method);
	}

	static @Nullable ApiKeyAuthentication bearerKey(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String key = header.substring(7).strip();
		return key.isEmpty() ? null : ApiKeyAuthentication.unchecked(key);
	}

	private static AuthenticationEntryPoint apiEntryPoint(Problems problems) {
		return (request, response, e) -> unauthorized(problems, request, response, e);
	}

	private static void unauthorized(Problems problems, HttpServletRequest request, HttpServletResponse response,
			AuthenticationException e) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		boolean sentKey = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
				sentKey && e instanceof BadCredentialsException ? e.getMessage() : "send 'Authorization: Bearer <API key>' (or log in to the dashboard)");
	}

	private static AccessDeniedHandler accessDenied(Problems problems) {
		return (request, response, e) -> problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
				e instanceof CsrfException
						? "a browser-session request that changes something must carry the page's CSRF token (form "
								+ "field _csrf or header X-CSRF-TOKEN); reload the page and try again"
						: "this tenant may not do that: " + e.getMessage());
	}

	/** Browsers without a session go to the login page, which sends them back where they were going. */
	private static AuthenticationEntryPoint loginRedirect() {
		return (request, response, e) -> {
			String next = request.getRequestURI()
					+ (request.getQueryString() == null ? "" : "?" + request.getQueryString());
			response.sendRedirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
		};
	}

	/**
	 * Local mode binds to loopback; an explicit non-loopback {@code server.address} without keys stops the start,
	 * since every caller would be the local tenant without a key.
	 */
	@Bean
	WebServerFactoryCustomizer<ConfigurableWebServerFactory> localModeBinding(ApiKeys keys, Environment environment) {
		return factory -> {
			if (!keys.isEmpty()) {
				return;
			}
			String address = environment.getProperty("server.address");
			if (address != null && !address.isBlank()) {
				if (!isLoopbackAddress(address)) {
					throw new IllegalStateException("local mode (no sightline.security.api-keys) serves one tenant "
							+ "without keys and must bind a loopback address, but server.address=" + address
							+ ". Set API keys (SIGHTLINE_SECURITY_API_KEYS=tenant=key,... with keys of at least "
							+ ApiKeys.MIN_KEY_LENGTH + " characters) or bind 127.0.0.1");
				}
				return;
			}
			factory.setAddress(InetAddress.getLoopbackAddress());
			log.warn("LOCAL MODE: no sightline.security.api-keys configured; the service binds to {} only and "
					+ "serves one tenant 'local' without keys. Set SIGHTLINE_SECURITY_API_KEYS=tenant=key,... to "
					+ "serve other machines.", InetAddress.getLoopbackAddress().getHostAddress());
		};
	}

	static boolean isLoopbackAddress(String address) {
		try {
			for (InetAddress resolved : InetAddress.getAllByName(address.strip())) {
				if (!resolved.isLoopbackAddress()) {
					return false;
				}
			}
			return true;
		}
		catch (UnknownHostException e) {
			return false;
		}
	}

}
