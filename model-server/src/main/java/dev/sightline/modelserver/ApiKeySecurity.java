package dev.sightline.modelserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, on Spring Security. With {@code --api-key}, the model ({@code /v1/**}), {@code /metrics} (queue
 * depth and throughput tell an outsider how busy, and so how probeable, the server is) and the actuator need
 * {@code Authorization: Bearer KEY}, compared in constant time; {@code /health} and the liveness/readiness probes stay
 * open. Without a key everything is open, which {@link ServerOptions#requireKeyBeyondLoopback()} allows on loopback
 * only. Refusals are OpenAI errors (401 {@code invalid_api_key}); the default {@code StrictHttpFirewall} refuses
 * encoded slashes, {@code ;}, {@code //} and {@code ..} before any route is matched (400).
 */
@Configuration(proxyBeanMethods = false)
class ApiKeySecurity {

	private static final String CLIENT_AUTHORITY = "MODEL_CLIENT";

	private static final String[] PROBES = { "/health", "/actuator/health", "/actuator/health/liveness",
			"/actuator/health/readiness" };

	private static final RequestMatcher PROTECTED = new AndRequestMatcher(
			new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/v1/**"),
					PathPatternRequestMatcher.withDefaults().matcher("/metrics"),
					PathPatternRequestMatcher.withDefaults().matcher("/actuator/**")),
			new NegatedRequestMatcher(new OrRequestMatcher(
					Arrays.stream(PROBES).map(PathPatternRequestMatcher.withDefaults()::matcher).toArray(RequestMatcher[]::new))));

	/** Accepts exactly {@code Authorization: Bearer KEY}; also keeps Boot from creating a default user. */
	@Bean
	AuthenticationManager apiKeyAuthentication(ServedModel served) {
		Optional<byte[]> expected = served.options()
			.apiKey()
			.map(key -> ("Bearer " + key).getBytes(StandardCharsets.UTF_8));
		return authentication -> {
			byte[] presented = String.valueOf(authentication.getCredentials()).getBytes(StandardCharsets.UTF_8);
			// Constant-time comparison: the key must not leak through response timing.
			if (expected.isEmpty() || !MessageDigest.isEqual(presented, expected.get())) {
				throw new BadCredentialsException("incorrect API key provided");
			}
			return new PreAuthenticatedAuthenticationToken("client", null,
					List.of(new SimpleGrantedAuthority(CLIENT_AUTHORITY)));
		};
	}

	@Bean
	SecurityFilterChain modelServerChain(HttpSecurity http, ServedModel served, AuthenticationManager keys)
			throws Exception {
		http.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		if (served.options().apiKey().isEmpty()) {
			http.authorizeHttpRequests(rules -> rules.anyRequest().permitAll());
			return http.build();
		}
		// Only the protected routes look at the header: a stale key on /health is no reason to fail a probe.
		AuthenticationFilter bearer = new AuthenticationFilter(keys, request -> {
			String header = request.getHeader(HttpHeaders.AUTHORIZATION);
			return header == null || header.isEmpty() ? null : new PreAuthenticatedAuthenticationToken("client", header);
		});
		bearer.setRequestMatcher(PROTECTED);
		bearer.setSuccessHandler((request, response, authentication) -> {
			// Go on to the endpoint.
		});
		bearer.setFailureHandler((request, response, e) -> ApiErrors.write(response, new ApiException(401,
				"invalid_request_error", null, "invalid_api_key", "incorrect API key provided")));
		http.addFilterBefore(bearer, AnonymousAuthenticationFilter.class);
		http.exceptionHandling(e -> e.authenticationEntryPoint((request, response, failure) -> ApiErrors.write(response,
				new ApiException(401, "invalid_request_error", null, "invalid_api_key",
						"missing 'Authorization: Bearer <key>' header; this server requires an API key"))));
		http.authorizeHttpRequests(rules -> rules
			// A stream's completion and error pages are dispatched again; the request itself was authorized.
			.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
			.permitAll()
			.requestMatchers(PROTECTED)
			.hasAuthority(CLIENT_AUTHORITY)
			.anyRequest()
			.permitAll());
		return http.build();
	}

	/** The firewall's refusals in OpenAI's error shape rather than an HTML error page. */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, rejected) -> ApiErrors.write(response,
				ApiException.invalid(null, "the request was rejected: " + rejected.getMessage()));
	}

}
