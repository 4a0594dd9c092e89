package dev.sightline.agent.security;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key presented as {@code Authorization: Bearer KEY} or on the dashboard's login form, and once checked the
 * tenant it belongs to. The key is dropped as soon as it has been checked ({@link #eraseCredentials()}).
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private @Nullable String key;

	private final @Nullable String tenant;

	private ApiKeyAuthentication(@Nullable String key, @Nullable String tenant) {
		super(tenant == null ? List.of() : List.of(new SimpleGrantedAuthority(SecurityConfiguration.TENANT_AUTHORITY)));
		this.key = key;
		this.tenant = tenant;
		setAuthenticated(tenant != null);
	}

	/** A key still to be checked. */
	public static ApiKeyAuthentication unchecked(String key) {
		return new ApiKeyAuthentication(key, null);
	}

	/** A checked key's tenant. */
	static ApiKeyAuthentication tenant(String tenant) {
		return new ApiKeyAuthentication(null, tenant);
	}

	@Override
	public @Nullable Object getCredentials() {
		return key;
	}

	/** The tenant id once checked; what {@link CurrentTenant} injects. */
	@Override
	public @Nullable Object getPrincipal() {
		return tenant;
	}

	@Override
	public void eraseCredentials() {
		super.eraseCredentials();
		key = null;
	}

}
