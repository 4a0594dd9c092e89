package dev.sightline.agent.dashboard;

import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard's session cookie. Login, CSRF and access to the pages are Spring Security's
 * ({@code SecurityConfiguration}'s dashboard chain).
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

	/** Lax: links from elsewhere still open the dashboard, but other sites' POSTs carry no session. */
	@Bean
	CookieSameSiteSupplier dashboardSessionCookieSameSite() {
		return CookieSameSiteSupplier.ofLax().whenHasName("JSESSIONID");
	}

}
