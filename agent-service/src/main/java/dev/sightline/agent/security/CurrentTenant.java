package dev.sightline.agent.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.security.core.annotation.AuthenticationPrincipal;

/**
 * The calling tenant's id, injected into a controller parameter of type {@code String}: the principal that Spring
 * Security authenticated (an API key's tenant, a dashboard session's tenant, or {@link #LOCAL} in local mode). Every
 * route that takes it requires the {@link SecurityConfiguration#TENANT_AUTHORITY}, so an anonymous caller never gets
 * this far.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@AuthenticationPrincipal(errorOnInvalidType = true)
public @interface CurrentTenant {

	/** The one tenant of local mode (no API keys configured). */
	String LOCAL = "local";

}
