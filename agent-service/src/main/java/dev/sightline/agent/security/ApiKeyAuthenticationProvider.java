package dev.sightline.agent.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks an {@link ApiKeyAuthentication} against the configured keys (SHA-256 hashes, compared in constant time). */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

	private final ApiKeys keys;

	ApiKeyAuthenticationProvider(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String key = String.valueOf(authentication.getCredentials());
		return keys.tenantOf(key)
			.map(ApiKeyAuthentication::tenant)
			.orElseThrow(() -> new BadCredentialsException(
					"the API key is not valid (keys are configured in sightline.security.api-keys as tenant=key)"));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiKeyAuthentication.class.isAssignableFrom(authentication);
	}

}
