package dev.sightline.agent.security;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.SecuritySettings;

/** API keys or local mode (loopback only, one tenant), the tenant filter and the task secrets. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

	/** JSON bodies larger than this are refused with 413; grounding images are the largest legitimate bodies. */
	public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

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
	FilterRegistrationBean<TenantFilter> tenantFilter(ApiKeys keys, TenantRateLimiter rateLimiter, JsonMapper json) {
		FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(
				new TenantFilter(keys, rateLimiter, MAX_BODY_BYTES, json));
		registration.addUrlPatterns("/api/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	/** Local mode binds to loopback unless the operator set {@code server.address} explicitly. */
	@Bean
	WebServerFactoryCustomizer<ConfigurableWebServerFactory> localModeBinding(ApiKeys keys, Environment environment) {
		return factory -> {
			if (!keys.isEmpty()) {
				return;
			}
			if (environment.containsProperty("server.address")) {
				log.warn("LOCAL MODE: no sightline.security.api-keys configured; every caller is tenant 'local' "
						+ "without a key, and server.address={} was set explicitly", environment
							.getProperty("server.address"));
				return;
			}
			factory.setAddress(InetAddress.getLoopbackAddress());
			log.warn("LOCAL MODE: no sightline.security.api-keys configured; the service binds to {} only and "
					+ "serves one tenant 'local' without keys. Set SIGHTLINE_SECURITY_API_KEYS=tenant=key,... to "
					+ "serve other machines.", InetAddress.getLoopbackAddress().getHostAddress());
		};
	}

}
